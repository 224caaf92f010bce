"""The LLaMA model: parity with transformers' LlamaForCausalLM, causality, sizes, initial loss."""

import math

import pytest

torch = pytest.importorskip("torch")

from dolmakit.llama import PRESETS, ModelConfig, Transformer, swiglu_hidden_dim  # noqa: E402


def hf_llama(config: ModelConfig):
    """transformers' LlamaForCausalLM with the same architecture as `config`."""
    transformers = pytest.importorskip("transformers")
    hf_config = transformers.LlamaConfig(
        vocab_size=config.vocab_size,
        hidden_size=config.dim,
        intermediate_size=config.ffn_hidden_dim,
        num_hidden_layers=config.n_layers,
        num_attention_heads=config.n_heads,
        num_key_value_heads=config.kv_heads,
        max_position_embeddings=config.max_seq_len,
        rms_norm_eps=config.norm_eps,
        rope_parameters={"rope_type": "default", "rope_theta": config.rope_theta},
        tie_word_embeddings=False,
        attention_bias=False,
        mlp_bias=False,
    )
    # eager attention: an explicit softmax(QK^T)V, independent of the fused kernel we use
    hf_config._attn_implementation = "eager"
    return transformers.LlamaForCausalLM(hf_config).eval()


def copy_weights_from_hf(model: Transformer, hf_model) -> None:
    """Our parameter names from transformers' (same layouts: no permutation, see model.py)."""
    names = {
        "tok_embeddings.weight": "model.embed_tokens.weight",
        "norm.weight": "model.norm.weight",
        "output.weight": "lm_head.weight",
    }
    per_layer = {
        "attention_norm": "input_layernorm",
        "attention.wq": "self_attn.q_proj",
        "attention.wk": "self_attn.k_proj",
        "attention.wv": "self_attn.v_proj",
        "attention.wo": "self_attn.o_proj",
        "ffn_norm": "post_attention_layernorm",
        "feed_forward.w1": "mlp.gate_proj",
        "feed_forward.w3": "mlp.up_proj",
        "feed_forward.w2": "mlp.down_proj",
    }
    for i in range(model.config.n_layers):
        for ours, theirs in per_layer.items():
            names[f"layers.{i}.{ours}.weight"] = f"model.layers.{i}.{theirs}.weight"
    hf_state = hf_model.state_dict()
    state = {ours: hf_state[theirs] for ours, theirs in names.items()}
    assert set(state) == set(model.state_dict())
    model.load_state_dict(state, strict=True)


@pytest.mark.parametrize(
    "n_kv_heads, rope_theta, norm_eps",
    [(2, 10000.0, 1e-5), (None, 500000.0, 1e-6)],
    ids=["gqa", "mha"],
)
def test_logits_match_transformers_llama(n_kv_heads, rope_theta, norm_eps):
    torch.manual_seed(0)
    config = ModelConfig(
        vocab_size=256, dim=64, n_layers=2, n_heads=4, n_kv_heads=n_kv_heads,
        rope_theta=rope_theta, norm_eps=norm_eps, max_seq_len=64,
    )  # fmt: skip
    hf_model = hf_llama(config)
    # the fresh norms are all ones: randomise them so a swapped norm would show
    with torch.no_grad():
        for name, param in hf_model.named_parameters():
            if name.endswith("norm.weight"):
                param.uniform_(0.5, 1.5)
    model = Transformer(config).eval()
    copy_weights_from_hf(model, hf_model)
    tokens = torch.randint(0, config.vocab_size, (3, 48))
    with torch.no_grad():
        ours = model(tokens)
        theirs = hf_model(input_ids=tokens).logits
    assert ours.dtype == theirs.dtype == torch.float32
    assert ours.shape == theirs.shape == (3, 48, config.vocab_size)
    assert (ours - theirs).abs().max().item() < 1e-4


def test_future_tokens_do_not_change_earlier_logits():
    torch.manual_seed(0)
    config = ModelConfig(vocab_size=128, dim=32, n_layers=2, n_heads=4, n_kv_heads=2)
    model = Transformer(config).eval()
    tokens = torch.randint(0, config.vocab_size, (2, 16))
    changed = tokens.clone()
    changed[:, 10] = (tokens[:, 10] + 1) % config.vocab_size
    with torch.no_grad():
        before, after = model(tokens), model(changed)
    torch.testing.assert_close(before[:, :10], after[:, :10], rtol=0, atol=1e-6)
    assert (before[:, 10:] - after[:, 10:]).abs().max() > 1e-4


@pytest.mark.parametrize(
    "dim, multiple_of, multiplier, hidden",
    [
        (64, 64, None, 192),  # 2/3 * 256 = 170 -> 192
        (768, 64, None, 2048),  # exactly 2048
        (4096, 256, None, 11008),  # LLaMA-7B
        (8192, 4096, 1.3, 28672),  # LLaMA-2-70B
        (100, 1, None, 266),
    ],
)
def test_swiglu_hidden_size_rule(dim, multiple_of, multiplier, hidden):
    assert swiglu_hidden_dim(dim, multiple_of, multiplier) == hidden
    config = ModelConfig(vocab_size=8, dim=dim, n_layers=1, n_heads=2, multiple_of=multiple_of,
                         ffn_dim_multiplier=multiplier, max_seq_len=4)  # fmt: skip
    assert config.ffn_hidden_dim == hidden


def test_initial_loss_is_near_uniform():
    torch.manual_seed(0)
    config = ModelConfig(vocab_size=512, dim=64, n_layers=2, n_heads=4)
    model = Transformer(config)
    tokens = torch.randint(0, config.vocab_size, (4, 64))
    targets = torch.randint(0, config.vocab_size, (4, 64))
    targets[:, :8] = -100  # ignored positions
    with torch.no_grad():
        logits, loss = model(tokens, targets)
    assert logits.shape == (4, 64, config.vocab_size)
    assert abs(loss.item() - math.log(config.vocab_size)) < 0.1


def test_residual_projections_are_scaled_down():
    torch.manual_seed(0)
    model = Transformer(ModelConfig(vocab_size=512, dim=256, n_layers=8, n_heads=4))
    layer = model.layers[0]
    assert layer.attention.wq.weight.std().item() == pytest.approx(0.02, rel=0.05)
    assert layer.attention.wo.weight.std().item() == pytest.approx(0.02 / 4, rel=0.05)
    assert layer.feed_forward.w2.weight.std().item() == pytest.approx(0.02 / 4, rel=0.05)


@pytest.mark.parametrize("name, low, high", [("tiny", 1e6, 1e7), ("small", 1e8, 1.6e8)])
def test_preset_sizes(name, low, high):
    config = PRESETS[name]
    model = Transformer(config)
    n = model.num_parameters()
    assert low <= n <= high
    # counted by hand: embeddings and output, 4 attention and 3 SwiGLU matrices, 2 norms a layer
    kv = config.kv_heads * config.head_dim
    per_layer = 2 * config.dim**2 + 2 * config.dim * kv + 3 * config.dim * config.ffn_hidden_dim
    per_layer += 2 * config.dim
    assert n == 2 * config.vocab_size * config.dim + config.n_layers * per_layer + config.dim
    flops = model.estimate_flops_per_token(1024)
    expected = 6 * (n - config.vocab_size * config.dim) + 12 * config.n_layers * config.dim * 1024
    assert flops == expected


def test_invalid_configs_name_the_field():
    from dolmakit.core.errors import ConfigError

    with pytest.raises(ConfigError, match="n_kv_heads"):
        ModelConfig(vocab_size=8, dim=64, n_layers=1, n_heads=4, n_kv_heads=3)
    with pytest.raises(ConfigError, match="dim"):
        ModelConfig(vocab_size=8, dim=66, n_layers=1, n_heads=4)

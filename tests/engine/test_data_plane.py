"""The guard against Beam's data-plane race: a write while the timer thread flushes is sent,
and the local multi-process runner delivers every element a stage makes to the next stage."""

from __future__ import annotations

import time
from pathlib import Path

import apache_beam as beam
from apache_beam.runners.portability.fn_api_runner import worker_handlers
from apache_beam.runners.worker import data_plane as beam_data_plane

from dolmakit.engine.data_plane import CHECKED_WITH, guard_timed_flushes, guarded
from dolmakit.engine.launch import choose_runner, new_pipeline

CHUNK = b"x" * 1000
CHUNKS = 5000


def bytes_delivered_while_the_send_queue_blocks() -> int:
    """Writes CHUNKS chunks through a timer-flushed stream whose hand-off to the send queue
    blocks for 2 ms (as Beam's does when the queue is full); the bytes that got out."""
    delivered = []

    def send(data: bytes) -> None:
        delivered.append(len(data))
        time.sleep(0.002)

    stream = beam_data_plane.ClosableOutputStream.create(send, send, data_buffer_time_limit_ms=1)
    for index in range(CHUNKS):
        stream.write(CHUNK)
        if index % 100 == 0:
            time.sleep(0)  # let the timer thread in, as any switch between threads does
    stream.close()
    return sum(delivered)


def test_a_write_during_a_timed_flush_is_sent():
    guard_timed_flushes()
    assert bytes_delivered_while_the_send_queue_blocks() == CHUNKS * len(CHUNK)


def test_beams_own_timed_stream_still_loses_those_writes(monkeypatch):
    """If this fails, Beam has fixed the race and dolmakit.engine.data_plane can go."""
    guard_timed_flushes()
    monkeypatch.delattr(beam_data_plane.TimeBasedBufferingClosableOutputStream, "write")
    assert bytes_delivered_while_the_send_queue_blocks() < CHUNKS * len(CHUNK)


def test_the_installed_beam_is_one_the_guard_was_checked_on():
    """A new Beam: read its data_plane.py against the guard, run this file, add the version."""
    assert beam.__version__ in CHECKED_WITH


def test_on_a_beam_it_was_not_checked_on_the_guard_says_so(monkeypatch, caplog):
    monkeypatch.delattr(beam_data_plane.TimeBasedBufferingClosableOutputStream, "write",
                        raising=False)  # fmt: skip
    monkeypatch.setattr(beam, "__version__", "9.9.9")
    guard_timed_flushes()
    assert guarded()
    assert caplog.messages == [
        "Beam 9.9.9: dolmakit's guard of the data plane's timed flush was checked on Beam "
        "2.77.0 only; run tests/engine/test_data_plane.py on this version"
    ]


def test_the_local_runner_installs_the_guard(monkeypatch):
    stream = beam_data_plane.TimeBasedBufferingClosableOutputStream
    monkeypatch.delattr(stream, "write", raising=False)
    assert not guarded()
    choose_runner(beam.options.pipeline_options.PipelineOptions([]), "local", 2)
    assert guarded()


def test_two_worker_processes_pass_every_element_to_the_next_stage(monkeypatch, tmp_path: Path):
    # A flush every millisecond: without the guard about half the elements vanished here.
    monkeypatch.setattr(worker_handlers, "DATA_BUFFER_TIME_LIMIT_MS", 1)
    pipeline, label = new_pipeline([], "local", 2)
    assert label == "local (2 workers)"
    result, elements = tmp_path / "reached", 60_000

    def make(seed: int):  # local, so the workers get it by value (they cannot import tests/)
        for index in range(seed, elements, 4):
            yield b"%08d" % index * 256  # 2 KB

    with pipeline:
        made = pipeline | beam.Create(range(4)) | beam.Reshuffle() | beam.FlatMap(make)
        total = made | "Count made" >> beam.combiners.Count.Globally()
        # the side input keeps the next stage apart: it reads `made` in chunks, as plain input
        apart = made | "After" >> beam.Map(lambda _, total: 1, total=beam.pvalue.AsSingleton(total))
        reached = apart | "Count reached" >> beam.CombineGlobally(sum)
        reached | beam.Map(lambda count: result.write_text(str(count)))
    assert int(result.read_text()) == elements

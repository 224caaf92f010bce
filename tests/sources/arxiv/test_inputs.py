from dolmakit.sources.arxiv.inputs import inline_main, normalize_path

MAIN = "\\documentclass{article}\n\\begin{document}\n"


def test_input_forms_relative_paths_with_and_without_tex():
    files = {
        "main.tex": MAIN + "\\input{sec/a}\n\\input b\n\\include{c.tex}\n\\end{document}",
        "sec/a.tex": "A\\input{d}",  # relative to the main file's folder first...
        "sec/d.tex": "D",  # ...then to the including file's own
        "b.tex": "B",
        "c.tex": "C",
    }
    inlined = inline_main(files, max_depth=8)
    assert inlined.main == "main.tex"
    assert inlined.text == MAIN + "AD\nB\nC\n\\end{document}"
    assert inlined.notes["inlined_input"] == 4


def test_includegraphics_and_inputencoding_are_not_inputs():
    files = {"m.tex": MAIN + "\\includegraphics{fig}\\inputencoding{latin1}"}
    assert inline_main(files, 8).text == files["m.tex"]


def test_missing_file_leaves_a_note_not_a_crash():
    inlined = inline_main({"m.tex": MAIN + "x\\input{nowhere}y"}, 8)
    assert inlined.text == MAIN + "xy"
    assert inlined.missing == ["nowhere"] and inlined.notes["missing_input"] == 1


def test_cycle_and_depth_guards():
    files = {"m.tex": MAIN + "\\input{a}", "a.tex": "a\\input{b}", "b.tex": "b\\input{a}"}
    inlined = inline_main(files, 8)
    assert inlined.text == MAIN + "ab" and inlined.notes["input_cycle"] == 1
    chain = {"m.tex": MAIN + "\\input{f0}"} | {
        f"f{i}.tex": f"{i}\\input{{f{i + 1}}}" for i in range(9)
    }
    inlined = inline_main(chain, max_depth=3)
    assert inlined.text == MAIN + "012" and inlined.notes["input_too_deep"] == 1


def test_main_file_is_the_longest_candidate_and_needs_both_markers():
    files = {
        "letter.tex": MAIN + "Dear editor.\\end{document}",
        "paper.tex": MAIN + "\\input{body}\\end{document}",
        "body.tex": "A long body of text.",
        "style.tex": "\\documentclass{article}",  # no \begin{document}
        "notes.txt": MAIN + "x" * 500,  # not a .tex file
    }
    assert inline_main(files, 8).main == "paper.tex"


def test_ties_go_to_the_first_path_and_no_candidate_is_none():
    assert inline_main({"b.tex": MAIN, "a.tex": MAIN}, 8).main == "a.tex"
    assert inline_main({"a.tex": "\\section{x}"}, 8) is None


def test_normalize_path():
    assert normalize_path("./a//b/../c.tex") == "a/c.tex"

"""Build ``samples/stackexchange/<site>/Posts.xml``: two tiny Stack Exchange dumps, invented.

The layout and row format are the official dump's (a site's archive extracted into a folder named
after the site; one ``<row .../>`` per line, attributes XML-escaped, bodies as escaped HTML), but
every title, body, score and date was written for this sample. The tricky thread (question 1)
has a code block holding ``<``, ``>`` and ``&``, entities, a list, a link and a blockquote, and
four answers: two with equal scores (one of them accepted) and one with a negative score. Around
it: a question without answers, an answer whose question is not in the dump, tag wiki posts
(post types 4 and 5), one malformed row in the middle of the file, and 30 ordinary threads about
command-line tools so the sample looks like a site (and one bad row stays under the default 1%
error threshold). The second site, unix.meta.stackexchange.com, is not in the `largest_28`
preset: its posts show the `site_<name>` removal.

The output is deterministic (no clock, no randomness). Regenerate with::

    python samples/make_stackexchange_sample.py
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent / "stackexchange"
MAIN_SITE, META_SITE = "unix.stackexchange.com", "unix.meta.stackexchange.com"
# what the dump escapes in an attribute besides & < >: quotes, and whitespace XML would normalize
_ATTRIBUTE_ESCAPES = {'"': "&quot;", "\n": "&#xA;", "\r": "&#xD;", "\t": "&#x9;"}


@dataclass
class Row:
    id: int
    type: int
    created: str
    score: int
    body: str
    parent: int | None = None
    accepted: int | None = None
    title: str | None = None
    tags: list[str] | None = None
    license: str | None = None  # ContentLicense: only dumps since 2019 carry it

    def xml(self) -> str:
        fields = [("Id", self.id), ("PostTypeId", self.type)]
        fields += [("AcceptedAnswerId", self.accepted), ("ParentId", self.parent)]
        fields += [("CreationDate", self.created), ("Score", self.score), ("Body", self.body)]
        fields += [("OwnerUserId", 100 + self.id % 7), ("Title", self.title)]
        fields += [("Tags", "".join(f"<{tag}>" for tag in self.tags) if self.tags else None)]
        fields += [("ContentLicense", self.license)]
        attributes = " ".join(
            f'{name}="{escape(str(value), _ATTRIBUTE_ESCAPES)}"'
            for name, value in fields
            if value is not None
        )
        return f"  <row {attributes} />"


QUESTION_BODY = """<p>I keep a log where each line looks like \
<code>&lt;id&gt; &amp; &lt;status&gt;</code> and I'd like to print only the lines whose status \
is <em>failed</em>. This is what I tried:</p>

<pre><code>#!/bin/sh
while read -r line; do
    if [ "$line" != "${line#*&amp;}" ] &amp;&amp; echo "$line" | grep -q '&lt;failed&gt;'; then
        printf '%s\\n' "$line" &gt;&gt; failed.log
    fi
done &lt; input.log
</code></pre>

<p>It prints nothing. The file comes from a Windows machine &mdash; could that matter? \
Things I&#39;ve checked:</p>

<ul>
<li>the file is readable (<code>ls -l</code> shows <code>-rw-r--r--</code>)</li>
<li>the pattern works with <a href="https://regex.example/tester">an online tester</a></li>
</ul>

<blockquote>
  <p>grep: input.log: binary file matches</p>
</blockquote>
"""

ANSWER_CRLF = """<p>Your lines end in <code>\\r\\n</code>, so <code>&lt;failed&gt;</code> \
is followed by a carriage return. Strip it first:</p>

<pre><code>tr -d '\\r' &lt; input.log | grep -F '&lt;failed&gt;' &gt; failed.log
</code></pre>
"""

ANSWER_AWK = """<p>Use <code>awk</code>; it does both tests in one pass:</p>

<pre><code>awk -F ' &amp; ' '{ sub(/\\r$/, "") }
    $2 == "&lt;failed&gt;"' input.log
</code></pre>

<ol>
<li>The field separator is <code>" &amp; "</code>.</li>
<li>The second field is compared <strong>after</strong> the carriage return is gone.</li>
</ol>
"""

ANSWER_FILE = """<p>Run <code>file input.log</code> first: it says \
&quot;with CRLF line terminators&quot; when that&#39;s the cause.</p>
"""

ANSWER_LOW = "<p>Reinstall grep.</p>\n"


def tricky_rows() -> list[Row]:
    """Question 1 and everything around it that a reader or the threading can get wrong."""
    title = 'How do I grep for lines with "<failed>" & an ampersand?'
    return [
        Row(1, 1, "2017-06-02T09:15:00.000", 12, QUESTION_BODY, accepted=3, title=title,
            tags=["grep", "shell-script", "line-endings"], license="CC BY-SA 3.0"),
        Row(2, 2, "2017-06-02T09:40:11.250", 7, ANSWER_FILE, parent=1),
        Row(3, 2, "2017-06-02T10:02:37.000", 7, ANSWER_AWK, parent=1, license="CC BY-SA 3.0"),
        Row(4, 2, "2019-01-20T18:00:00.000", 15, ANSWER_CRLF, parent=1, license="CC BY-SA 4.0"),
        Row(5, 2, "2017-06-03T08:00:00.000", -2, ANSWER_LOW, parent=1),
        Row(6, 1, "2010-11-05T12:00:00.000", 3,
            "<p>Is there a way to list only hidden directories, not hidden files?</p>\n",
            title="List only hidden directories", tags=["ls", "directory"]),
        # an orphan: its question (id 999) was deleted before the dump
        Row(7, 2, "2012-02-14T07:30:00.000", 1,
            "<p>Use <code>stat -c %y</code> to see the modification time.</p>\n", parent=999),
        Row(8, 4, "2011-05-01T00:00:00.000", 0,
            "<p>grep searches text for lines matching a pattern.</p>\n"),
        Row(9, 5, "2011-05-01T00:00:00.000", 0,
            "<p>Questions about <strong>grep</strong>, the pattern searcher.</p>\n"),
    ]  # fmt: skip


# (tool, what the asker wants, the command that does it, what it does differently)
TOOLS = [
    ("tar", "archive a folder without its parent path", "tar -C /srv/data -czf data.tgz .", "-C"),
    (
        "rsync",
        "copy only files changed today",
        "rsync -a --files-from=<(find . -newermt today)",
        "--files-from",
    ),
    ("find", "delete empty directories", "find . -type d -empty -delete", "-empty"),
    ("sed", "replace a word only on line 10", "sed '10s/old/new/' notes.txt", "an address"),
    ("awk", "sum the third column", "awk '{ s += $3 } END { print s }' table.txt", "END"),
    ("sort", "sort by the second field numerically", "sort -k2,2n scores.txt", "-k2,2n"),
    ("uniq", "count repeated lines", "sort words.txt | uniq -c", "-c"),
    ("cut", "print the user names from passwd", "cut -d: -f1 /etc/passwd", "-d:"),
    ("xargs", "run one command per file name with spaces", "find . -print0 | xargs -0 ls -l", "-0"),
    ("du", "see which folder uses the most space", "du -sh -- */ | sort -h", "-h"),
    ("df", "show only local file systems", "df -h -x tmpfs -x devtmpfs", "-x"),
    ("ps", "show the process tree", "ps -ef --forest", "--forest"),
    ("kill", "stop every process of one user", "pkill -u alice", "-u"),
    (
        "chmod",
        "make scripts executable recursively",
        "find . -name '*.sh' -exec chmod +x {} +",
        "-exec",
    ),
    ("chown", "give a tree to another group", "chown -R :staff /srv/shared", "-R"),
    ("ssh", "keep an idle connection open", "ssh -o ServerAliveInterval=60 host", "ServerAlive"),
    ("scp", "copy a file through a jump host", "scp -J gateway report.pdf host:", "-J"),
    ("tmux", "reattach to a named session", "tmux attach -t work", "-t"),
    ("cron", "run a job every weekday at seven", "0 7 * * 1-5 /usr/local/bin/backup", "1-5"),
    ("systemctl", "see why a unit failed", "systemctl status backup.service", "status"),
    ("journalctl", "read the logs of the last boot", "journalctl -b -1", "-b -1"),
    ("ln", "replace a symbolic link atomically", "ln -sfn releases/42 current", "-n"),
    ("diff", "compare two folders", "diff -r old/ new/", "-r"),
    ("head", "print all but the last five lines", "head -n -5 log.txt", "a negative count"),
    ("tail", "follow a log that gets rotated", "tail -F app.log", "-F"),
    ("wc", "count the words of many files", "wc -w chapters/*.md", "-w"),
    ("tee", "write to a root-owned file", "echo on | sudo tee /sys/power/state", "sudo tee"),
    ("date", "print yesterday's date", "date -d yesterday +%F", "-d"),
    ("mount", "remount a file system read-only", "mount -o remount,ro /data", "remount"),
    ("zip", "zip a folder without hidden files", "zip -r site.zip site -x '.*'", "-x"),
]


def filler_rows(first_id: int) -> list[Row]:
    """Ordinary threads: 0 to 5 answers each, scores and dates varied deterministically."""
    rows, post_id = [], first_id
    for index, (tool, task, command, flag) in enumerate(TOOLS):
        question_id, day = post_id, f"2014-{1 + index % 12:02d}-{1 + index:02d}"
        answers = index % 6
        rows.append(Row(
            question_id, 1, f"{day}T08:00:00.000", index % 9,
            f"<p>With <code>{escape(tool)}</code>, how can I {task}? I read the manual page but "
            f"the options for this are not obvious to me.</p>\n",
            accepted=question_id + 1 if answers and index % 2 else None,
            title=f"How can I {task} with {tool}?", tags=[tool, "command-line"],
        ))  # fmt: skip
        for answer in range(answers):
            post_id += 1
            rows.append(Row(
                post_id, 2, f"{day}T{9 + answer:02d}:30:00.000", (index + 3 * answer) % 11 - 2,
                _filler_answer(tool, command, flag, answer), parent=question_id,
            ))  # fmt: skip
        post_id += 1
    return rows


def _filler_answer(tool: str, command: str, flag: str, variant: int) -> str:
    code = f"<pre><code>{escape(command)}\n</code></pre>\n"
    if variant == 0:
        return f"<p>This does it:</p>\n\n{code}\n<p>The key is <code>{escape(flag)}</code>.</p>\n"
    if variant == 1:
        return f"<p>Another way, if your {escape(tool)} is the GNU one:</p>\n\n{code}"
    if variant == 2:
        return f"<p>Read the section about <code>{escape(flag)}</code> in the manual first.</p>\n"
    return f"<p>I would script it instead, but {escape(tool)} alone can do it.</p>\n"


MALFORMED = '  <row Id="900" PostTypeId="2" ParentId="6" Score="1" Body="&lt;p&gt;cut off here'


def meta_rows() -> list[Row]:
    return [
        Row(1, 1, "2015-03-01T10:00:00.000", 5,
            "<p>Should questions about shell history go here or on the main site?</p>\n",
            title="Where do shell history questions belong?", tags=["discussion", "scope"]),
        Row(2, 2, "2015-03-01T11:00:00.000", 8,
            "<p>On the main site: they are about using the shell.</p>\n", parent=1),
        Row(3, 2, "2015-03-02T09:00:00.000", 2,
            "<p>Either is fine, as long as it is tagged.</p>\n", parent=1),
        Row(4, 4, "2015-01-01T00:00:00.000", 0, "<p>Posts about what is on topic.</p>\n"),
    ]  # fmt: skip


def write_posts(site: str, lines: list[str]) -> Path:
    path = HERE / site / "Posts.xml"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = '<?xml version="1.0" encoding="utf-8"?>\n<posts>\n' + "\n".join(lines) + "\n</posts>\n"
    path.write_text(text, encoding="utf-8", newline="\n")
    return path


def main() -> None:
    filler = [row.xml() for row in filler_rows(first_id=10)]
    middle = len(filler) // 2  # the malformed row sits between valid ones
    main_lines = [row.xml() for row in tricky_rows()] + filler[:middle] + [MALFORMED]
    main_lines += filler[middle:]
    for path in (write_posts(MAIN_SITE, main_lines),
                 write_posts(META_SITE, [row.xml() for row in meta_rows()])):  # fmt: skip
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()

# nbgrader configuration for "CNNs from scratch", written by `python3 course.py nbgrader-source DEST`
# (tools/grading.py) into the course directory when it has none. Edit freely: the command never
# overwrites an existing nbgrader_config.py. Pinned nbgrader: requirements-grade.txt.
from nbgrader.preprocessors import NbGraderPreprocessor

c = get_config()  # noqa: F821  (provided by nbgrader when it reads this file)

c.CourseDirectory.course_id = "cnns-from-scratch"

# The released answer cells look like the chapters' own stubs.
c.ClearSolutions.code_stub = {"python": "raise NotImplementedError"}

# A test cell deleted from a submission is put back (with a note saying so) and run, so deleting
# a read-only test cell neither loses nor gains points.
c.OverwriteCells.add_missing_cells = True

# Timeouts, in seconds. A student's answer or test cell that runs longer (an endless loop) is
# interrupted and marked with the message below; the rest of the notebook still runs and is graded.
# Other cells get longer: chapter 10 trains a network (about a minute with CNNLIB_QUICK=1 in the
# environment of `nbgrader autograde`, several minutes without).
EXERCISE_TIMEOUT = 60
CHAPTER_CELL_TIMEOUT = 900


def cell_timeout(cell):
    nbgrader = cell.get("metadata", {}).get("nbgrader", {})
    return EXERCISE_TIMEOUT if nbgrader.get("grade") or nbgrader.get("solution") else CHAPTER_CELL_TIMEOUT


c.Execute.timeout = CHAPTER_CELL_TIMEOUT
c.Execute.timeout_func = cell_timeout
c.Execute.error_on_timeout = {
    "ename": "CellTimeoutError",
    "evalue": "the cell was stopped after its time limit",
    "traceback": [f"CellTimeoutError: this cell ran longer than its time limit ({EXERCISE_TIMEOUT} s for an exercise "
                  "or test cell) and was stopped. Is there an endless loop in the exercise function?"],
}

# Output limits: at most 200 lines per cell (nbgrader's LimitOutput) and at most 20,000 characters per
# output (below), so a submission that prints megabytes still gives a small, readable feedback page.
c.LimitOutput.max_lines = 200
c.LimitOutput.max_traceback = 60
MAX_OUTPUT_CHARS = 20_000


class CapOutputCharacters(NbGraderPreprocessor):
    """Cut every text output (stream, text/plain, error value) longer than MAX_OUTPUT_CHARS, saying so."""

    def _cut(self, text):
        if len(text) <= MAX_OUTPUT_CHARS:
            return text
        tail = text[-300:]  # keeps nbgrader's own "... Output truncated ..." note, if any
        cut = len(text) - MAX_OUTPUT_CHARS - len(tail)
        return (text[:MAX_OUTPUT_CHARS] + f"\n... output cut by the grader: {cut:,} characters left out (at most "
                f"{MAX_OUTPUT_CHARS:,} are kept per output, and the last {len(tail)}) ...\n" + tail)

    def preprocess_cell(self, cell, resources, index):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                output["text"] = self._cut(output.get("text", ""))
            elif "text/plain" in output.get("data", {}):
                output["data"]["text/plain"] = self._cut(output["data"]["text/plain"])
            elif output.get("output_type") == "error":
                output["evalue"] = self._cut(output.get("evalue", ""))
        return cell, resources


import time  # noqa: E402
from queue import Empty  # noqa: E402

from nbconvert.preprocessors import ClearMetadataPreprocessor  # noqa: E402
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, Execute, IgnorePattern,  # noqa: E402
                                    LimitOutput, SaveAutoGrades)


def _wake_every_second(get_msg):
    """get_msg(timeout) that waits in slices of at most 1 s. nbclient 0.11 waits for a cell's reply with
    one wait as long as the cell's time limit (and for its output with no limit); on a busy machine a
    widget cell was seen to miss the wake-up for a reply already received (kernel idle, the grader
    waiting 900 s; jupyter/nbclient#312). pyzmq polls the socket again at the end of every slice, so a
    reply that arrived is picked up within a second."""
    async def get_msg_in_slices(timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            step = 1.0 if deadline is None else min(1.0, max(0.0, deadline - time.monotonic()))
            try:
                return await get_msg(timeout=step)
            except Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    raise
    return get_msg_in_slices


class ExecuteWakingUp(Execute):
    """nbgrader's Execute with the kernel client's waits cut into 1-second slices (see above)."""

    def _wrap(self, kc):
        kc.shell_channel.get_msg = _wake_every_second(kc.shell_channel.get_msg)
        kc.iopub_channel.get_msg = _wake_every_second(kc.iopub_channel.get_msg)
        return kc

    def start_new_kernel_client(self):
        return self._wrap(super().start_new_kernel_client())

    async def async_start_new_kernel_client(self):
        return self._wrap(await super().async_start_new_kernel_client())


# nbgrader 0.9.6's default list for autograde, with those two changes.
c.Autograde.autograde_preprocessors = [ExecuteWakingUp, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
                                       CapOutputCharacters, SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]

"""A plain progress bar on stderr: points done, points/s, time remaining.

On a terminal the line is redrawn in place (at most 5 times a second); in a
log file (not a tty) one line is printed every ``LOG_INTERVAL`` seconds and at
the end. No dependency, no warnings.
"""
import sys
import time

LOG_INTERVAL = 10.0
TTY_INTERVAL = 0.2


def _fmt_time(seconds):
    if seconds != seconds or seconds == float("inf"):
        return "--:--"
    seconds = int(round(seconds))
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:d}:{s:02d}"


def _fmt_rate(rate):
    for unit, scale in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if rate >= scale:
            return f"{rate / scale:.2f}{unit}"
    return f"{rate:.0f}"


class Progress:
    def __init__(self, total, done=0, enabled=True, stream=None, label="hpcore sweep"):
        self.total = int(total)
        self.done = int(done)
        self.start_done = int(done)
        self.enabled = enabled
        self.stream = sys.stderr if stream is None else stream
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.label = label
        self.t0 = time.perf_counter()
        self.last = 0.0
        self.width = 24

    @property
    def rate(self):
        dt = time.perf_counter() - self.t0
        return (self.done - self.start_done) / dt if dt > 0 else 0.0

    def line(self):
        frac = self.done / self.total if self.total else 1.0
        fill = int(round(frac * self.width))
        bar = "#" * fill + "-" * (self.width - fill)
        rate = self.rate
        left = (self.total - self.done) / rate if rate > 0 else float("nan")
        return (
            f"{self.label} [{bar}] {frac * 100:5.1f}% {self.done:,}/{self.total:,} points, "
            f"{_fmt_rate(rate)} points/s, {_fmt_time(left)} left"
        )

    def update(self, n, force=False):
        self.done += int(n)
        if not self.enabled:
            return
        now = time.perf_counter()
        interval = TTY_INTERVAL if self.tty else LOG_INTERVAL
        if force or now - self.last >= interval:
            self.last = now
            if self.tty:
                self.stream.write("\r" + self.line())
            else:
                self.stream.write(self.line() + "\n")
            self.stream.flush()

    def close(self, message=None):
        if not self.enabled:
            return
        line = self.line()
        if self.tty:
            self.stream.write("\r" + line + "\n")
        else:
            self.stream.write(line + "\n")
        if message:
            self.stream.write(message + "\n")
        self.stream.flush()

"""What is wrong with one data file, and how to fix it."""
from dataclasses import dataclass
from typing import Iterable, List, Sequence

#: Severities: an error stops the check (and the dataset build); a note is
#: something the loaders convert or ignore, reported so nothing is silent.
SEVERITIES = ('error', 'note')


@dataclass(frozen=True)
class DataProblem:
    """One problem of a data file, found by a dataset or the data checker.

    Args:
        path (str): The file (or folder, or config key) the problem is in.
        message (str): What is wrong.
        fix (str): How to fix it. Defaults to ''.
        severity (str): 'error' (the run would crash or learn/score
            something wrong) or 'note' (converted or ignored on loading,
            nothing to fix unless unexpected). Defaults to 'error'.
        missing_file (bool): The problem is that a file or folder does not
            exist. Defaults to False.
    """
    path: str
    message: str
    fix: str = ''
    severity: str = 'error'
    missing_file: bool = False

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f'severity must be one of {SEVERITIES}, but got '
                             f'{self.severity!r}')

    @property
    def is_error(self) -> bool:
        """Whether this problem stops a run."""
        return self.severity == 'error'

    def format(self, indent: str = '') -> str:
        """``SEVERITY path: message`` and the fix on the next line."""
        text = f'{indent}{self.severity.upper()} {self.path}: {self.message}'
        if self.fix:
            text += f'\n{indent}    fix: {self.fix}'
        return text


def errors_of(problems: Iterable[DataProblem]) -> List[DataProblem]:
    """The problems of severity 'error'."""
    return [p for p in problems if p.is_error]


def format_problems(problems: Sequence[DataProblem],
                    max_shown: int = 50) -> str:
    """Text listing ``problems`` (errors first), at most ``max_shown``."""
    ordered = sorted(problems, key=lambda p: not p.is_error)
    lines = [p.format('  ') for p in ordered[:max_shown]]
    if len(ordered) > max_shown:
        lines.append(f'  ... and {len(ordered) - max_shown} more')
    return '\n'.join(lines)


class DataProblemError(ValueError):
    """A data set has problems that would crash or spoil a run.

    The message lists every problem found (file, problem, fix) rather than
    the first one. Use :meth:`from_problems`, which raises
    :class:`MissingDataError` (also a ``FileNotFoundError``) when every
    problem is a missing file or folder.

    Args:
        message (str): The full message.
        problems (Sequence[DataProblem]): The problems. Defaults to ().
    """

    def __init__(self, message: str,
                 problems: Sequence[DataProblem] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)

    def __reduce__(self):
        return type(self), (str(self), self.problems)

    @classmethod
    def from_problems(cls, problems: Sequence[DataProblem],
                      source: str = '') -> 'DataProblemError':
        """Build the error for ``problems`` (their errors only).

        Args:
            problems (Sequence[DataProblem]): What was found; notes are
                left out of the message.
            source (str): Who found them, e.g. the dataset class.
                Defaults to ''.

        Returns:
            DataProblemError: A :class:`MissingDataError` when every error
            is a missing file or folder.
        """
        errors = errors_of(problems)
        who = f'{source}: ' if source else ''
        message = (f'{who}{len(errors)} data problem(s):\n'
                   f'{format_problems(errors)}\n'
                   'Run python tools/check_dataset.py CONFIG for a full '
                   'report of every file.')
        kind = MissingDataError if errors and all(
            p.missing_file for p in errors) else DataProblemError
        return kind(message, errors)


class MissingDataError(FileNotFoundError, DataProblemError):
    """A :class:`DataProblemError` whose problems are all missing files."""

    def __init__(self, message: str,
                 problems: Sequence[DataProblem] = ()) -> None:
        FileNotFoundError.__init__(self, message)
        self.problems = list(problems)

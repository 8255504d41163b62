"""Never let a test run write its results over an earlier run's."""
import os
import os.path as osp


class OutputExistsError(FileExistsError):
    """``--out`` already holds results of an earlier run."""


def check_new_output(out: str,
                     kind: str = 'folder',
                     source: str = '--out') -> None:
    """Refuse an output that would mix this run's results with older ones.

    A folder of submission masks that already holds files would end up
    with masks of two runs (the old masks of images this run does not
    predict stay behind); an existing CSV would be replaced without a word.
    The check runs before any work, so refusing costs nothing.

    Args:
        out (str): The ``--out`` path.
        kind (str): 'folder' (segmentation masks) or 'file' (the Part 3
            CSV). Defaults to 'folder'.
        source (str): Where the path came from, named in the message: the
            command line's '--out' or a config key such as
            'test_evaluator.out'. Defaults to '--out'.

    Raises:
        OutputExistsError: If the folder exists and is not empty, or the
            file exists; the message says what to do.
    """
    if kind not in ('folder', 'file'):
        raise ValueError(f"kind must be 'folder' or 'file', got {kind!r}")
    if kind == 'file':
        if osp.exists(out):
            raise OutputExistsError(
                f'{source} {out} already exists (results of an earlier run?); '
                'this run would replace it. Give a new file name, or delete '
                'the old file first.')
        return
    if osp.isfile(out):
        raise OutputExistsError(
            f'{source} {out} is a file; segmentation writes one mask per '
            'image into a folder. Give a folder that does not exist yet.')
    if osp.isdir(out):
        entries = sorted(os.listdir(out))
        if entries:
            raise OutputExistsError(
                f'{source} {out} already holds {len(entries)} file(s) from an '
                f'earlier run (e.g. {entries[0]}); writing this run\'s masks '
                'there would mix the two runs. Give a new or empty folder '
                f'(e.g. {source} {out.rstrip("/")}_2), or delete the old one '
                'first.')

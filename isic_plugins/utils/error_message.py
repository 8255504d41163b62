"""The one-line message a tool stops with, whatever the error carried."""


def one_line(exc: BaseException) -> str:
    """The message of ``exc`` without a DataLoader worker's traceback.

    An error raised in a DataLoader worker reaches the main process
    re-raised with the worker's whole traceback in its message ("Caught X in
    DataLoader worker process 0. Original Traceback ... X: message"); the
    tools print only the final ``message``. Other errors keep their message,
    stripped.

    Args:
        exc (BaseException): The error.

    Returns:
        str: Its message, without the worker's traceback.
    """
    text = str(exc)
    name = f'{type(exc).__name__}: '
    if 'Traceback' in text and name in text:
        text = text[text.rindex(name) + len(name):]
    return text.strip()

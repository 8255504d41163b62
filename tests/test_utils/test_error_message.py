"""one_line: the message a tool prints, without a loader worker's trace."""
import pickle

from torch.utils.data import DataLoader, Dataset

from isic_plugins.utils.error_message import one_line


class _Broken(Dataset):

    def __len__(self) -> int:
        return 1

    def __getitem__(self, index):
        raise ValueError('  ISIC_0000001.jpg is truncated: re-download it  ')


def test_worker_traceback_is_cut_to_the_message():
    # the error as the main process gets it from a DataLoader worker
    try:
        next(iter(DataLoader(_Broken(), num_workers=1)))
    except ValueError as exc:
        assert 'Traceback' in str(exc)  # what the tools must not print
        assert one_line(exc) == \
            'ISIC_0000001.jpg is truncated: re-download it'
    else:  # pragma: no cover
        raise AssertionError('the worker error was not raised')


def test_other_messages_are_kept_stripped():
    assert one_line(RuntimeError('\n disk full \n')) == 'disk full'
    # another class named in the text: nothing is cut
    text = 'Traceback: KeyError: x'
    assert one_line(pickle.UnpicklingError(text)) == text

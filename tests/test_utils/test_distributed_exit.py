"""end_distributed_run: a finished distributed rank leaves with code 0 and
its output flushed, skipping the interpreter teardown; without a process
group it does nothing."""
import subprocess
import sys

import torch.distributed

from isic_plugins.utils import end_distributed_run

SCRIPT = '''
import logging, sys, torch.distributed as dist
from isic_plugins.utils import end_distributed_run
logging.basicConfig(filename=sys.argv[2], level=logging.INFO)
dist.init_process_group('gloo', init_method='file://' + sys.argv[1],
                        rank=0, world_size=1)
print('work done', flush=False)
logging.info('logged before the exit')
end_distributed_run()
print('after the exit')
'''


def test_rank_exits_zero_with_output_flushed(tmp_path):
    log = tmp_path / 'run.log'
    res = subprocess.run(
        [sys.executable, '-c', SCRIPT, str(tmp_path / 'store'), str(log)],
        capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]
    assert 'work done' in res.stdout  # flushed although not flushed by print
    assert 'after the exit' not in res.stdout  # the process left
    assert 'logged before the exit' in log.read_text()


def test_without_process_group_it_returns():
    assert not torch.distributed.is_initialized()
    end_distributed_run()  # returns: a single-process run goes on

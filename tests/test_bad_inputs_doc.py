"""docs/bad_inputs.md names only tests that exist."""
import os.path as osp
import re

TEST_REF = re.compile(r'`(test_\w+/test_\w+\.py)::(test_\w+)`')


def test_every_listed_test_exists(repo_root):
    with open(osp.join(repo_root, 'docs', 'bad_inputs.md')) as f:
        refs = TEST_REF.findall(f.read())
    assert len(refs) > 30
    missing = []
    for path, name in refs:
        with open(osp.join(repo_root, 'tests', path)) as f:
            if not re.search(rf'^def {name}\(', f.read(), re.MULTILINE):
                missing.append(f'{path}::{name}')
    assert missing == []

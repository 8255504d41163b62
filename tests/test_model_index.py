"""The model index (``configs/*/metafile.yml``, written by
tools/realdata_table.py): every entry names a config that exists, and its
figures are the README table's."""
import glob
import os.path as osp
import re

import yaml


def _metafiles(repo_root):
    return sorted(glob.glob(osp.join(repo_root, 'configs', '**',
                                     'metafile.yml'), recursive=True))


def test_every_entry_names_an_existing_config(repo_root):
    files = _metafiles(repo_root)
    assert files, 'no metafile.yml under configs/'
    for path in files:
        index = yaml.safe_load(open(path))
        collections = {c['Name'] for c in index['Collections']}
        assert index['Models'], path
        for model in index['Models']:
            assert model['In Collection'] in collections, (path, model)
            config = osp.join(repo_root, model['Config'])
            assert osp.isfile(config), f'{path}: {model["Name"]} names ' \
                f'{model["Config"]}, which does not exist'
            parent = model['Metadata'].get('load_from')
            if parent:
                cfg = re.search(r'\((.*)\)', parent).group(1)
                assert osp.isfile(osp.join(repo_root, cfg)), (path, cfg)


def test_index_figures_are_in_the_readme(repo_root):
    readme = open(osp.join(repo_root, 'README.md')).read()
    for path in _metafiles(repo_root):
        for model in yaml.safe_load(open(path))['Models']:
            for result in model['Results']:
                for value in result['Metrics'].values():
                    assert f'**{value:.1f}**' in readme, (path, model['Name'])

"""The model index (``model-index.yml`` and the ``configs/*/metafile.yml``
it imports, written by tools/realdata_table.py): every import exists, every
entry names a config that exists, and its figures are the README table's."""
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
            for result in model.get('Results', []):
                for value in result['Metrics'].values():
                    assert f'**{value:.1f}**' in readme, (path, model['Name'])


def test_model_index_imports_every_metafile(repo_root):
    """``model-index.yml`` at the top, as OpenMMLab's: each import exists
    and no family's metafile is left out."""
    index = yaml.safe_load(open(osp.join(repo_root, 'model-index.yml')))
    for path in index['Import']:
        assert osp.isfile(osp.join(repo_root, path)), path
    assert sorted(osp.join(repo_root, p) for p in index['Import']) == \
        _metafiles(repo_root)


def test_each_run_table_has_its_metafile(repo_root):
    """Each table of the real-data runs (isic_plugins.realdata) has the
    metafile of its config folder, listing the models its rows show
    (rerun ``tools/realdata_table.py seg WORK --index`` after changing a
    table)."""
    from isic_plugins.realdata import SEG_TABLES
    for key, table in SEG_TABLES.items():
        (folder, ) = {osp.dirname(r.config) for r in table.runs.values()
                      if r.train}
        index = yaml.safe_load(open(osp.join(repo_root, folder,
                                             'metafile.yml')))
        assert [c['Name'] for c in index['Collections']] == [key]
        assert {m['Name'] for m in index['Models']} == {
            r.run for r in table.rows if r.index}, key

"""The ONNX Runtime path imports none of torch or the OpenMMLab stack: what
``pip install '.[onnx]'`` leaves out is never needed there."""
import subprocess

#: What the light install does not have.
HEAVY = ('torch', 'torchvision', 'mmengine', 'mmcv', 'mmseg', 'mmpretrain')

#: The modules of the ONNX Runtime path (``tools/predict.py --backend
#: onnxruntime`` and ``tools/demo.py`` with ``.onnx`` files).
LIGHT_MODULES = ('isic_plugins', 'isic_plugins.isic_layout',
                 'isic_plugins.seg_tta_views', 'isic_plugins.visualization',
                 'isic_plugins.apis.image_file',
                 'isic_plugins.apis.ort_lesion_segmenter',
                 'isic_plugins.apis.ort_lesion_classifier',
                 'isic_plugins.demo')

#: Imports the path with HEAVY unimportable (as in a venv without them),
#: runs ``tools/predict.py --help`` for the tool's own imports, then names
#: any HEAVY module that got loaded anyway.
LIGHT_IMPORT = '''
import importlib, runpy, sys
for name in {heavy!r}:
    sys.modules[name] = None  # import raises ImportError, as if absent
for name in {modules!r}:
    importlib.import_module(name)
from isic_plugins.apis import ORTLesionClassifier, ORTLesionSegmenter
sys.argv = ['tools/predict.py', '--help']
try:
    runpy.run_path('tools/predict.py', run_name='__main__')
except SystemExit as exc:
    assert exc.code == 0, exc.code
print('LOADED', sorted(m for m, v in sys.modules.items()
                       if v is not None and m.split('.')[0] in {heavy!r}))
'''


def test_onnxruntime_path_imports_no_heavy_module(python, repo_root):
    code = LIGHT_IMPORT.format(heavy=HEAVY, modules=LIGHT_MODULES)
    res = subprocess.run([python, '-c', code], cwd=repo_root,
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    assert 'LOADED []' in res.stdout, res.stdout[-2000:]
    assert '--backend' in res.stdout  # predict.py's help was printed

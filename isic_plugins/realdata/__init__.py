"""The real-data pipelines: the run table and the driver that runs it."""
from .cls_table import CLS, CLS_TABLES
from .driver import Driver, UnknownRunError, plan_runs, select_runs
from .run_table import (
                        FF_TESTS,
                        TEST_SETS,
                        ClsRow,
                        Comparison,
                        LesionMasks,
                        Row,
                        Run,
                        Table,
                        TestSet,
                        fullframe_options,
)
from .seg_table import FULLFRAME, REALDATA, SEG_TABLES

__all__ = [
    'Driver', 'UnknownRunError', 'plan_runs', 'select_runs', 'FF_TESTS',
    'TEST_SETS',
    'Comparison', 'Row', 'Run', 'Table', 'TestSet', 'fullframe_options',
    'FULLFRAME', 'REALDATA', 'SEG_TABLES', 'CLS', 'CLS_TABLES', 'ClsRow',
    'LesionMasks'
]

from . import test_recall_mrp

from . import qms_recall_line

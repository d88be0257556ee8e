from . import qms_recall_report
from . import recall_xlsx

from . import qms_satisfaction_report

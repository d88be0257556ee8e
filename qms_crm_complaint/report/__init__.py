from . import qms_complaint_report

from . import qms_evidence
from . import qms_evidence_stat
from . import qms_complaint_report

from . import qms_evidence
from . import qms_evidence_stat

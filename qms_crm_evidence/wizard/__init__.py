from . import qms_clause_coverage
from . import qms_evidence_pack
from . import qms_evidence_integrity

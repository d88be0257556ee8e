from . import test_evidence_base

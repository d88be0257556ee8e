from . import test_evidence_base
from . import test_forgery

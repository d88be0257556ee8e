from . import qms_clause_coverage
from . import qms_requirement_change
from . import qms_gate_override

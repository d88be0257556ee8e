from . import qms_quality_objective
from . import qms_quality_objective_result
from . import qms_management_review

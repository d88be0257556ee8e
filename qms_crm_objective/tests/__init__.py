from . import test_objective

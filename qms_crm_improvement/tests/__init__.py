from . import test_improvement

# >>> review
# <<< review
# >>> reliab
# <<< reliab
# >>> firsthour
from . import test_tours
# <<< firsthour

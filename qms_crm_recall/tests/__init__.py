# >>> review
from . import test_management_review_recall
# <<< review
# >>> reliab
# <<< reliab
# >>> firsthour
from . import test_tours
# <<< firsthour

# >>> review
# <<< review
# >>> reliab
# <<< reliab
# >>> firsthour
# <<< firsthour

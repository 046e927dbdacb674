---------------------------- MODULE ToyBroken ----------------------------
\* A module with a syntax error, for the runner's "error" result.
VARIABLE x
Init == x = 0
Next == x' = x + + 1
=============================================================================

/* trace.c - placeholder until the trace recorder lands. */
#include <stdio.h>
int main(void) { fprintf(stderr, "trace recorder not built yet\n"); return 1; }

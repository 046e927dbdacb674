# Seeded bug (trace validation: a wrong result along correct steps): klp_shadow_get returns
# the data of the entry it stepped on just before the matching one, when there is one. The
# walk, the read-side section and every other step are the kernel's: only the returned
# pointer is wrong, so only a check that observes what the call returned sees it (the spec
# then has no step that returns that data: RESULT). get_or_alloc's lookups go through
# klp_shadow_get too.
# Usage: perl -0 -p get-returns-neighbour.pl < shadow.c
s{(void \*klp_shadow_get\(void \*obj, unsigned long id\)\n\{\n\tstruct klp_shadow \*shadow;\n)}{$1\tstruct klp_shadow *prev = NULL;\n}s
	or die "get-returns-neighbour: klp_shadow_get's declarations not found\n";
s{(\t\tif \(klp_shadow_match\(shadow, obj, id\)\) \{\n\t\t\trcu_read_unlock\(\);\n\t\t\treturn )shadow->data;\n(\t\t\}\n)(\t\}\n\n\trcu_read_unlock\(\);\n\n\treturn NULL;\n\})}{$1prev ? prev->data : shadow->data;\n$2\t\tprev = shadow;\n$3}s
	or die "get-returns-neighbour: klp_shadow_get's loop not found\n";

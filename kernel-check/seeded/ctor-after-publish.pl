# Seeded bug: the constructor runs after hash_add_rcu (spec mutant
# PublishBeforeCtor).  Moves the "if (ctor) { ... }" block of
# __klp_shadow_get_or_alloc after the hash_add_rcu statement.
# Usage: perl -0 -p ctor-after-publish.pl < shadow.c
s{(\n\tif \(ctor\) \{\n.*?\n\t\}\n)(.*?hash_add_rcu\(.*?\);\n)}{\n$2$1}s or die "ctor-after-publish: pattern not found\n";

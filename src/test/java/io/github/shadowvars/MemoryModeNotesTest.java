package io.github.shadowvars;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Issue 25: the access modes Rcu's grace-period argument needs, checked in the source and in the
 * notes that tell a porter which mode to pick. The argument (Rcu's class notes, "Why a grace
 * period protects an unlinked entry") puts the reader's link loads, its entry store and the
 * writer's unlinking store in the synchronization order: they must be volatile accesses. An
 * acquire load or an opaque/release store would pass every test on x86-64 (the JIT and the CPU do
 * not reorder them there in practice), so no behavioural test shows the weakening on this machine;
 * this source check keeps the code and the notes from inviting it.
 */
class MemoryModeNotesTest {

    static String read(String path) throws IOException {
        return Files.readString(Path.of(path), StandardCharsets.UTF_8);
    }

    @Test
    void theLinkLoadsAndTheUnlinkingStoreAreVolatileAccesses() throws IOException {
        String src = read("src/main/java/io/github/shadowvars/ShadowVariables.java");
        assertTrue(Pattern.compile("\\n\\s*volatile Entry next;").matcher(src).find(), "Entry.next is not a volatile field");
        // the primitives (TracedShadowVariables wraps them with its events; issue 23)
        assertTrue(Pattern.compile("\\n    Entry headAt\\(int b\\) \\{\\s*return buckets\\.get\\(b\\);")
                .matcher(src).find(), "headAt is not AtomicReferenceArray.get (a volatile load)");
        assertTrue(Pattern.compile("\\n    Entry nextOf\\(Entry e\\) \\{\\s*return e\\.next;")
                .matcher(src).find(), "nextOf is not a load of the volatile field next");
        assertTrue(src.contains("prev.next = e.next;"), "hash_del_rcu's store to a link is not a volatile field store");
        assertTrue(src.contains("setHeadAt(b, e.next);") && src.contains("private void setHeadAt(int b, Entry e) { buckets.set(b, e); }"),
                "hash_del_rcu's store to a head is not AtomicReferenceArray.set (a volatile store)");
        for (String weaker : new String[] {"getAcquire", "getOpaque", "setOpaque", "lazySet", "NEXT.setRelease"}) {
            assertFalse(src.contains(weaker), "ShadowVariables.java uses " + weaker + " on a link");
        }
    }

    @Test
    void theNotesDoNotOfferAcquireLoadsOrOpaqueStoresToAJavaPort() throws IOException {
        String src = read("src/main/java/io/github/shadowvars/ShadowVariables.java");
        String deref = src.lines().filter(l -> l.contains("rcu_dereference    headAt")).findFirst().orElseThrow();
        assertFalse(deref.contains("(acquire"), "ShadowVariables' notes call the link loads acquire loads: " + deref.strip());
        String notes = read("proofs-notes.md");
        String javaRow = notes.lines().filter(l -> l.startsWith("| Java")).findFirst().orElseThrow();
        assertFalse(javaRow.contains("`VarHandle.getAcquire` (or a `volatile` read)") || javaRow.contains("`setOpaque` or stronger"),
                "proofs-notes.md's porting table offers a Java port acquire link loads or an opaque unlink: " + javaRow);
    }
}

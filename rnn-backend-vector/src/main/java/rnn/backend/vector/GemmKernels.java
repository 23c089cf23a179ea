package rnn.backend.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-blocked GEMM micro-kernels for {@code C[i,j] (+)= sum_p A[i,p] * B[p,j]} with B rows
 * contiguous along j (vectors run along j) and A addressed as {@code a[i*rsA + p*csA]}, so the same
 * kernels read A plain ({@code rsA=lda, csA=1}) or transposed in place ({@code rsA=1, csA=lda}).
 *
 * <p>Every C element, whichever kernel or thread computes it, is the same chain
 * {@code acc = fma(A[i,p], B[p,j], acc)} for p = 0..k-1 in order, starting from 0 or from C. Results
 * therefore do not depend on tiling, cache blocking or how the work is split over threads.
 */
final class GemmKernels {

    /** Names a vector width other than the CPU's widest: 128, 256 or 512 bits. */
    static final String WIDTH_PROPERTY = "rnn.vector.bits";
    /**
     * The CPU's preferred species, or the width {@link #WIDTH_PROPERTY} names. The Vector API runs any width on
     * any CPU, one the hardware lacks in software (boxed, far slower): so the tests check the kernels of every
     * width on every machine. A value that is no width leaves the preferred one, and {@link VectorProvider}
     * reports the backend unusable with the reason.
     */
    static final VectorSpecies<Float> S = species(System.getProperty(WIDTH_PROPERTY), FloatVector.SPECIES_PREFERRED);
    static final int L = S.length();
    /**
     * Vector registers the ISA has: 32 with AVX-512 and on ARM (NEON, SVE), 16 with AVX2. The Vector API does
     * not say; the widest x86 vectors tell AVX-512 apart.
     */
    static final int REGISTERS = "aarch64".equals(System.getProperty("os.arch")) || S.vectorBitSize() >= 512 ? 32 : 16;
    /**
     * Micro-tile: MR rows × NR/L vectors. With 32 registers, 8 × 3: 24 accumulators, so each B vector loaded
     * feeds 8 FMAs. With 16, 4 × 2: 8 accumulators leave registers for both B vectors and all four
     * broadcasts, so the JIT may schedule the loads of a bounds-check-free loop ({@link #k4x2Panel}) as it
     * likes without spilling; 4 × 3 with 12 accumulators spilled two of them there. Over a panel, most rows
     * go 6 at a time instead ({@link #panelRows}): 6 × 2, 12 accumulators, one B vector fewer than 4 × 3.
     */
    static final int MR = REGISTERS >= 32 ? 8 : 4;
    static final int NR = (REGISTERS >= 32 ? 3 : 2) * L;
    /**
     * k-block: a KC × NR panel of B stays in a 32 KiB L1 (24 KiB of it) while every row block uses it:
     * 384 rows at 256 bits (NR = 16), 128 at 512 (NR = 48).
     */
    static final int KC = Math.max(64, 24 * 1024 / (NR * Float.BYTES) / 16 * 16);
    /**
     * k-block over B packed once ({@link #computePacked}): twice KC. Its panels are read in place, in order,
     * so they stream from L2 as well as they sit in L1, and half as many blocks mean half the C tile round
     * trips and kernel calls (Zen 5, 512 bits: packed 32×512² 1.030×, 32×512×2048 1.080×, the RNN h=512
     * step 1.057×, against KC, in turns).
     */
    static final int KC_PACKED = 2 * KC;

    private GemmKernels() {
    }

    /** The species of {@code bits} bits, {@code otherwise} when bits is null or no width. */
    static VectorSpecies<Float> species(String bits, VectorSpecies<Float> otherwise) {
        return switch (bits == null ? "" : bits.trim()) {
            case "128" -> FloatVector.SPECIES_128;
            case "256" -> FloatVector.SPECIES_256;
            case "512" -> FloatVector.SPECIES_512;
            default -> otherwise;
        };
    }

    /** Whether {@link #S} is wider than the JIT compiles to vector instructions: it then runs in software. */
    static boolean inSoftware() {
        return S.vectorBitSize() > FloatVector.SPECIES_MAX.vectorBitSize();
    }

    /**
     * The B or C operand, in floats, above which B is taken to come from L3 rather than L2 (1 MiB, the L2
     * of Zen 4 and Skylake-SP): then {@link #compute} copies each next B panel inside the first row block's
     * kernel, whose FMAs hide the loads (32×512×2048: 10–13 % faster at 256 bits, 5–13 % at 512); from
     * L2, a copy loop of its own is the faster (32×512×512 at 256 bits: 3–5 % slower inside the kernel).
     * A C that large streams through the caches between its panels too: an LSTM's weight gradient over
     * four steps (512×128×2048, B 1 MiB, C 4 MiB): the LSTM h=512 step on one thread, 1.07× (1.01–1.20).
     */
    private static final long L2_FLOATS = 1 << 18;

    /** Whether an operand of this many floats is taken to come from L3 rather than L2 (see {@link #L2_FLOATS}). */
    static boolean outgrowsL2(long floats) {
        return floats > L2_FLOATS;
    }

    /**
     * The fewest rows for which {@link #compute} copies B's full strips into panels. With 16 registers two
     * row blocks: the copied panel is what lets the check-free kernels ({@link #k4x2Panel}, {@link
     * #k6x2Panel}) run. With 32 the 8 × 3 kernel is the same either way and its three B vectors per 24 FMAs
     * stream from L2 at a fraction of L2's bandwidth, so the copy (a load and a store per vector) pays only
     * once enough row blocks reuse it. Zen 5, 512 bits, in turns, B in place against copied: ×512² with
     * 16, 24, 32 rows 1.44×, 1.27×, 1.10× (32×256² 1.27×, 32×512×2048 1.11×); with 40, 64, 128 rows
     * 0.99×, 0.97×, 0.97×; 512×128×2048, an LSTM's weight gradient, 0.83×.
     */
    static final int COPY_ROWS = REGISTERS >= 32 ? 5 * MR : 2 * MR;

    /** Where the C scratch tile (MR × NR) starts in a panel buffer, after two B panels. */
    private static final int TILE = 2 * KC * NR;
    /** Floats a caller's panel buffer for {@link #compute} must hold. */
    static final int PANEL = TILE + MR * NR;

    /**
     * Computes rows [i0,i1) × columns [j0,j1) of C; {@code acc0} false means overwrite (C may be garbage).
     * With at least {@link #COPY_ROWS} rows, each KC × NR panel of B is first copied into {@code panel}
     * (contiguous, stride NR): B rows a power-of-two stride apart map to the same few L1 sets and would
     * evict each other, and the copy is paid once for every row block that reuses the panel. When B or C
     * is larger than an L2 ({@link #L2_FLOATS}), the first row block's kernel copies the next panel.
     */
    static void compute(int k, float[] a, int aOff, int rsA, int csA, float[] b, int bOff, int ldb,
                        boolean acc0, float[] c, int cOff, int ldc, int i0, int i1, int j0, int j1, float[] panel) {
        if (i0 >= i1 || j0 >= j1) {
            return;
        }
        if (k == 0) {
            if (!acc0) {
                for (int i = i0; i < i1; i++) {
                    java.util.Arrays.fill(c, cOff + i * ldc + j0, cOff + i * ldc + j1, 0f);
                }
            }
            return;
        }
        int iFull = i0 + (i1 - i0) / MR * MR;
        for (int kc = 0; kc < k; kc += KC) {
            int kl = Math.min(KC, k - kc);
            boolean acc = acc0 || kc > 0;
            int ak = aOff + kc * csA;
            int bk = bOff + kc * ldb;
            int j = j0;
            boolean copy = iFull - i0 >= COPY_ROWS;
            boolean pack = iFull - i0 >= 2 * MR; // the last strip, when narrower than its vectors
            boolean overlap = copy && outgrowsL2((long) Math.max(k, i1 - i0) * (j1 - j0));
            int cur = 0;
            for (; j + NR <= j1; j += NR) {
                if (copy) {
                    if (!overlap || j == j0) {
                        packPanel(kl, b, bk + j, ldb, panel, cur);
                    }
                    boolean ahead = overlap && j + 2 * NR <= j1;
                    int next = KC * NR - cur;
                    int i = i0;
                    if (ahead) {
                        packingTile(kl, a, ak + i * rsA, rsA, csA, panel, cur, acc, c, cOff + i * ldc + j, ldc,
                                b, bk + j + NR, ldb, next);
                        i += MR;
                    }
                    panelRows(i, iFull, kl, a, ak, rsA, csA, panel, cur, acc, c, cOff + j, ldc);
                    if (overlap) {
                        cur = next;
                    }
                } else {
                    for (int i = i0; i < iFull; i += MR) {
                        tile(kl, a, ak + i * rsA, rsA, csA, b, bk + j, ldb, acc, c, cOff + i * ldc + j, ldc);
                    }
                }
            }
            int r = j1 - j; // fewer than NR columns left
            if (r > 0 && iFull > i0) {
                int w = (r + L - 1) / L * L;
                if (pack && (w > r || copy)) {
                    // Copied with the full panels (B rows a power-of-two stride apart would thrash L1), or,
                    // when they are read in place, only to be zero-padded to whole vectors: masked loads are
                    // slow without AVX-512.
                    packPadded(kl, b, bk + j, ldb, r, w, panel);
                    for (int i = i0; i < iFull; i += MR) {
                        lastStrip(MR, kl, a, ak + i * rsA, rsA, csA, panel, 0, w, r, acc, c, cOff + i * ldc + j, ldc,
                                panel, TILE);
                    }
                } else if (w == r) {
                    for (int i = i0; i < iFull; i += MR) {
                        rowsByVectors(MR, w / L, kl, a, ak + i * rsA, rsA, csA, b, bk + j, ldb, acc, c, cOff + i * ldc + j, ldc);
                    }
                } else {
                    scalar(kl, a, ak + i0 * rsA, rsA, csA, b, bk + j, ldb, acc, c, cOff + i0 * ldc + j, ldc, iFull - i0, r);
                }
            }
            int i4 = iFull;
            if (MR > 4 && i1 - i4 >= 4) { // a block of 4 rows left over by the 8-row tile
                int jj = j0;
                for (; jj + NR <= j1; jj += NR) {
                    k4x3(kl, a, ak + i4 * rsA, rsA, csA, b, bk + jj, ldb, acc, c, cOff + i4 * ldc + jj, ldc);
                }
                for (; jj + L <= j1; jj += L) {
                    k4x1(kl, a, ak + i4 * rsA, rsA, csA, b, bk + jj, ldb, acc, c, cOff + i4 * ldc + jj, ldc);
                }
                if (jj < j1) {
                    scalar(kl, a, ak + i4 * rsA, rsA, csA, b, bk + jj, ldb, acc, c, cOff + i4 * ldc + jj, ldc, 4, j1 - jj);
                }
                i4 += 4;
            }
            for (int i = i4; i < i1; i++) {
                int ai = ak + i * rsA;
                int ci = cOff + i * ldc;
                int jj = j0;
                for (; jj + 4 * L <= j1; jj += 4 * L) {
                    k1x4(kl, a, ai, csA, b, bk + jj, ldb, acc, c, ci + jj);
                }
                for (; jj + L <= j1; jj += L) {
                    k1x1(kl, a, ai, csA, b, bk + jj, ldb, acc, c, ci + jj);
                }
                if (jj < j1) {
                    scalar(kl, a, ai, rsA, csA, b, bk + jj, ldb, acc, c, ci + jj, ldc, 1, j1 - jj);
                }
            }
        }
    }

    // ---------------------------------------------------------------- B packed once for many products

    /*
     * The packed layout: op(B) k×n cut into strips of NR columns, strip s holding its k rows contiguously
     * (row p at p·NR) from s·k·NR, so every KC × NR panel compute() would copy is already in place. The
     * last n mod NR columns form a strip as wide as the vectors that cover them (w), zero-padded.
     */

    /** Floats the packed form of a k × n operand takes. */
    static int packedSize(int k, int n) {
        int r = n % NR;
        return Math.multiplyExact(k, n / NR * NR + (r + L - 1) / L * L);
    }

    /**
     * Writes columns [from, to) of op(B) (k × n; B stored n × k when {@code trans}) into {@code packed} in the
     * strip layout; from is a multiple of NR, and to too unless it is n.
     */
    static void pack(boolean trans, int k, int n, float[] b, int bOff, int ldb, float[] packed, int from, int to) {
        for (int j0 = from; j0 < to; j0 += NR) {
            int cols = Math.min(NR, n - j0);
            int w = cols == NR ? NR : (cols + L - 1) / L * L;
            int base = j0 * k;
            if (trans) {
                // op(B)[p, j] = B[j, p], 16 p at a time: each B row gives one cache line, and the 16 strip rows
                // written stay in L1. (One p at a time read the cols B rows in step, a power-of-two stride
                // apart: the same L1 set for all of them.)
                int src = bOff + j0 * ldb;
                for (int p0 = 0; p0 < k; p0 += 16) {
                    int p1 = Math.min(k, p0 + 16);
                    for (int j = 0; j < cols; j++) {
                        int row = src + j * ldb;
                        for (int p = p0; p < p1; p++) {
                            packed[base + p * w + j] = b[row + p];
                        }
                    }
                }
            } else {
                for (int p = 0; p < k; p++) {
                    System.arraycopy(b, bOff + p * ldb + j0, packed, base + p * w, cols);
                }
            }
            if (cols < w) {
                for (int p = 0; p < k; p++) {
                    java.util.Arrays.fill(packed, base + p * w + cols, base + p * w + w, 0f);
                }
            }
        }
    }

    /**
     * {@link #compute} with B packed by {@link #pack} for a k × n operand; {@code j0} is a multiple of NR.
     * The same fma chain per C element as compute, so the same bits. {@code scratch} holds an MR × NR tile.
     * Strip by strip, each strip's k-blocks in turn: the packed operand is then read front to back, one
     * stream for the prefetchers when it outgrows an L2 (Zen 5, 1 MiB L2: 32×512×2048 1.05× in turns
     * against k-blocks outside the strips), while A's k-block is read again from L2 for every strip.
     */
    static void computePacked(int k, int n, float[] a, int aOff, int rsA, int csA, float[] bp, boolean acc0,
                              float[] c, int cOff, int ldc, int i0, int i1, int j0, int j1, float[] scratch) {
        if (i0 >= i1 || j0 >= j1) {
            return;
        }
        if (k == 0) {
            compute(0, a, aOff, rsA, csA, bp, 0, n, acc0, c, cOff, ldc, i0, i1, j0, j1, scratch);
            return;
        }
        int iFull = i0 + (i1 - i0) / MR * MR;
        int i4 = iFull + (MR > 4 && i1 - iFull >= 4 ? 4 : 0);
        for (int j = j0; j < j1; j += NR) {
            int r = Math.min(NR, j1 - j); // fewer than NR only in the narrow last strip
            int w = (r + L - 1) / L * L;
            for (int kc = 0; kc < k; kc += KC_PACKED) {
                int kl = Math.min(KC_PACKED, k - kc);
                boolean acc = acc0 || kc > 0;
                int ak = aOff + kc * csA;
                int bs = j * k + kc * w;
                if (r < NR) {
                    int i = i0;
                    for (; i < iFull; i += MR) {
                        lastStrip(MR, kl, a, ak + i * rsA, rsA, csA, bp, bs, w, r, acc, c, cOff + i * ldc + j, ldc, scratch, 0);
                    }
                    if (i4 > iFull) {
                        lastStrip(4, kl, a, ak + i * rsA, rsA, csA, bp, bs, w, r, acc, c, cOff + i * ldc + j, ldc, scratch, 0);
                        i += 4;
                    }
                    if (i < i1) {
                        scalar(kl, a, ak + i * rsA, rsA, csA, bp, bs, w, acc, c, cOff + i * ldc + j, ldc, i1 - i, r);
                    }
                    continue;
                }
                panelRows(i0, iFull, kl, a, ak, rsA, csA, bp, bs, acc, c, cOff + j, ldc);
                if (i4 > iFull) {
                    k4x3(kl, a, ak + iFull * rsA, rsA, csA, bp, bs, NR, acc, c, cOff + iFull * ldc + j, ldc);
                }
                for (int i = i4; i < i1; i++) {
                    if (NR == 3 * L) {
                        k1x3(kl, a, ak + i * rsA, csA, bp, bs, NR, acc, c, cOff + i * ldc + j);
                    } else {
                        for (int v = 0; v < NR; v += L) {
                            k1x1(kl, a, ak + i * rsA, csA, bp, bs + v, NR, acc, c, cOff + i * ldc + j + v);
                        }
                    }
                }
            }
        }
    }

    /** Copies a kl × NR block of B into {@code panel} with stride NR (vector copies: arraycopy per row costs more). */
    private static void packPanel(int kl, float[] b, int bi, int ldb, float[] panel, int at) {
        for (int p = 0; p < kl; p++) {
            int src = bi + p * ldb;
            int dst = at + p * NR;
            for (int v = 0; v < NR; v += L) {
                FloatVector.fromArray(S, b, src + v).intoArray(panel, dst + v);
            }
        }
    }

    /** Copies kl × cols of B into {@code panel} with stride w ≥ cols, zero-filling the columns past cols. */
    private static void packPadded(int kl, float[] b, int bi, int ldb, int cols, int w, float[] panel) {
        for (int p = 0; p < kl; p++) {
            System.arraycopy(b, bi + p * ldb, panel, p * w, cols);
            java.util.Arrays.fill(panel, p * w + cols, p * w + w, 0f);
        }
    }

    /** Copies a rows × cols block between C and a scratch tile. */
    private static void copyTile(int rows, int cols, float[] src, int so, int lds, float[] dst, int dOff, int ldd) {
        for (int q = 0; q < rows; q++) {
            System.arraycopy(src, so + q * lds, dst, dOff + q * ldd, cols);
        }
    }

    /**
     * Rows [i, i + rows) (rows 4 or 8) of the last strip: r < NR columns, whose B panel at {@code bi} has
     * stride w, r rounded up to whole vectors. Straight into C when r fills them, else through a scratch
     * tile at {@code so}.
     */
    private static void lastStrip(int rows, int kl, float[] a, int ai, int rsA, int csA, float[] b, int bi, int w, int r,
                                  boolean acc, float[] c, int ci, int ldc, float[] scratch, int so) {
        if (w == r) {
            rowsByVectors(rows, w / L, kl, a, ai, rsA, csA, b, bi, w, acc, c, ci, ldc);
            return;
        }
        if (acc) {
            copyTile(rows, r, c, ci, ldc, scratch, so, w);
        }
        rowsByVectors(rows, w / L, kl, a, ai, rsA, csA, b, bi, w, acc, scratch, so, w);
        copyTile(rows, r, scratch, so, w, c, ci, ldc);
    }

    /**
     * The 8- or 4-row kernel for 1, 2 or 3 vectors of columns, over a B panel of stride {@code vectors · L}.
     * With A rows contiguous, the 8-row kernels for 1 and 2 vectors are the check-free ones (8 or 16
     * accumulators leave C2 room to schedule the loads without spilling; 8 × 3 with checks removed did spill
     * and was slower): the last strip of a 512-column recurrent product and the output layer's 28 columns.
     */
    private static void rowsByVectors(int rows, int vectors, int kl, float[] a, int ai, int rsA, int csA, float[] b,
                                      int bi, int ldb, boolean acc, float[] c, int ci, int ldc) {
        if (rows == 4) {
            narrow(vectors, kl, a, ai, rsA, csA, b, bi, ldb, acc, c, ci, ldc);
            return;
        }
        boolean panel = csA == 1 && ldb == vectors * L;
        switch (vectors) {
            case 1 -> {
                if (panel) {
                    k8x1Panel(kl, a, ai, rsA, b, bi, acc, c, ci, ldc);
                } else {
                    k8x1(kl, a, ai, rsA, csA, b, bi, ldb, acc, c, ci, ldc);
                }
            }
            case 2 -> {
                if (panel) {
                    k8x2Panel(kl, a, ai, rsA, b, bi, acc, c, ci, ldc);
                } else {
                    k8x2(kl, a, ai, rsA, csA, b, bi, ldb, acc, c, ci, ldc);
                }
            }
            default -> k8x3(kl, a, ai, rsA, csA, b, bi, ldb, acc, c, ci, ldc);
        }
    }

    /**
     * The 4-row kernel for 1, 2 or 3 vectors of columns; for 2 over a padded panel of stride 2L (the last
     * strip with 16 registers, e.g. the output layer's 28 columns) the check-free one.
     */
    private static void narrow(int vectors, int kl, float[] a, int ai, int rsA, int csA, float[] b, int bi, int ldb,
                               boolean acc, float[] c, int ci, int ldc) {
        switch (vectors) {
            case 1 -> k4x1(kl, a, ai, rsA, csA, b, bi, ldb, acc, c, ci, ldc);
            case 2 -> {
                if (csA == 1 && ldb == 2 * L) {
                    k4x2Panel(kl, a, ai, rsA, b, bi, acc, c, ci, ldc);
                } else {
                    k4x2(kl, a, ai, rsA, csA, b, bi, ldb, acc, c, ci, ldc);
                }
            }
            default -> k4x3(kl, a, ai, rsA, csA, b, bi, ldb, acc, c, ci, ldc);
        }
    }

    /** The MR-row tile over B at any stride: folds to one kernel, as MR is a constant of the ISA. */
    private static void tile(int kl, float[] a, int ai, int rsA, int csA, float[] b, int bi, int ldb,
                             boolean acc, float[] c, int ci, int ldc) {
        if (MR == 8) {
            k8x3(kl, a, ai, rsA, csA, b, bi, ldb, acc, c, ci, ldc);
        } else {
            k4x2(kl, a, ai, rsA, csA, b, bi, ldb, acc, c, ci, ldc);
        }
    }

    /**
     * The MR-row tile over a panel of B (stride NR). With 16 registers and A rows contiguous, the kernel whose
     * indices are the loop counter times constants: the JIT then removes every bounds check from its loop
     * (4 × 3 over variable strides compiled to about 40 instructions for 12 FMAs, more than a 6-wide core
     * issues in the 6 cycles those take).
     */
    private static void panelTile(int kl, float[] a, int ai, int rsA, int csA, float[] b, int bi,
                                  boolean acc, float[] c, int ci, int ldc) {
        if (MR == 4 && csA == 1) {
            k4x2Panel(kl, a, ai, rsA, b, bi, acc, c, ci, ldc);
        } else {
            tile(kl, a, ai, rsA, csA, b, bi, NR, acc, c, ci, ldc);
        }
    }

    /**
     * Row blocks [i, iEnd) (a multiple of MR rows) of one strip over a panel of B (stride NR), A's k-block
     * from {@code ak} and C's strip from {@code cj}. With 16 registers and A rows contiguous, blocks of 6
     * rows first, as many as leave a multiple of 4: 12 accumulators are more independent fma chains than
     * the 8 that two pipes of 4-cycle latency need (32×256² at 256 bits on Zen 5: 1.13× the 4-row tile in
     * turns). Then, or else, MR-row tiles.
     */
    private static void panelRows(int i, int iEnd, int kl, float[] a, int ak, int rsA, int csA, float[] b, int bi,
                                  boolean acc, float[] c, int cj, int ldc) {
        if (MR == 4 && csA == 1) {
            for (int i6 = i + (iEnd - i) / 12 * 12; i < i6; i += 6) {
                k6x2Panel(kl, a, ak + i * rsA, rsA, b, bi, acc, c, cj + i * ldc, ldc);
            }
        }
        for (; i < iEnd; i += MR) {
            panelTile(kl, a, ak + i * rsA, rsA, csA, b, bi, acc, c, cj + i * ldc, ldc);
        }
    }

    /**
     * {@link #panelTile}, and meanwhile the next kl × NR block of B (at {@code si}, stride lds) copied to
     * {@code panel} at {@code next}: its loads, from L3, overlap the FMAs instead of stalling a copy loop of
     * their own.
     */
    private static void packingTile(int kl, float[] a, int ai, int rsA, int csA, float[] panel, int cur,
                                    boolean acc, float[] c, int ci, int ldc, float[] src, int si, int lds, int next) {
        if (MR == 8) {
            k8x3Packing(kl, a, ai, rsA, csA, panel, cur, NR, acc, c, ci, ldc, src, si, lds, panel, next);
        } else if (csA == 1) {
            k4x2PanelPacking(kl, a, ai, rsA, panel, cur, acc, c, ci, ldc, src, si, lds, panel, next);
        } else {
            packPanel(kl, src, si, lds, panel, next);
            panelTile(kl, a, ai, rsA, csA, panel, cur, acc, c, ci, ldc);
        }
    }

    /**
     * {@link #k4x2} for A rows contiguous (csA = 1) and B at stride NR = 2L, indexed by the loop counter times
     * constants so that C2 can check the ranges once, outside the loop.
     */
    private static void k4x2Panel(int kl, float[] a, int ai, int rsA, float[] b, int bi,
                                  boolean acc, float[] c, int ci, int ldc) {
        int c0 = ci, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
        FloatVector c00 = load(acc, c, c0), c01 = load(acc, c, c0 + L);
        FloatVector c10 = load(acc, c, c1), c11 = load(acc, c, c1 + L);
        FloatVector c20 = load(acc, c, c2), c21 = load(acc, c, c2 + L);
        FloatVector c30 = load(acc, c, c3), c31 = load(acc, c, c3 + L);
        int a0 = ai, a1 = a0 + rsA, a2 = a1 + rsA, a3 = a2 + rsA;
        for (int p = 0; p < kl; p++) {
            int bo = bi + p * (2 * L);
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + L);
        c10.intoArray(c, c1);
        c11.intoArray(c, c1 + L);
        c20.intoArray(c, c2);
        c21.intoArray(c, c2 + L);
        c30.intoArray(c, c3);
        c31.intoArray(c, c3 + L);
    }

    /** {@link #k4x2Panel} for 6 rows: 12 accumulators, two B vectors and one broadcast fill 15 of 16 registers. */
    private static void k6x2Panel(int kl, float[] a, int ai, int rsA, float[] b, int bi,
                                  boolean acc, float[] c, int ci, int ldc) {
        int c0 = ci, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc;
        FloatVector c00 = load(acc, c, c0), c01 = load(acc, c, c0 + L);
        FloatVector c10 = load(acc, c, c1), c11 = load(acc, c, c1 + L);
        FloatVector c20 = load(acc, c, c2), c21 = load(acc, c, c2 + L);
        FloatVector c30 = load(acc, c, c3), c31 = load(acc, c, c3 + L);
        FloatVector c40 = load(acc, c, c4), c41 = load(acc, c, c4 + L);
        FloatVector c50 = load(acc, c, c5), c51 = load(acc, c, c5 + L);
        int a0 = ai, a1 = a0 + rsA, a2 = a1 + rsA, a3 = a2 + rsA, a4 = a3 + rsA, a5 = a4 + rsA;
        for (int p = 0; p < kl; p++) {
            int bo = bi + p * (2 * L);
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            x = FloatVector.broadcast(S, a[a4 + p]);
            c40 = b0.fma(x, c40);
            c41 = b1.fma(x, c41);
            x = FloatVector.broadcast(S, a[a5 + p]);
            c50 = b0.fma(x, c50);
            c51 = b1.fma(x, c51);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + L);
        c10.intoArray(c, c1);
        c11.intoArray(c, c1 + L);
        c20.intoArray(c, c2);
        c21.intoArray(c, c2 + L);
        c30.intoArray(c, c3);
        c31.intoArray(c, c3 + L);
        c40.intoArray(c, c4);
        c41.intoArray(c, c4 + L);
        c50.intoArray(c, c5);
        c51.intoArray(c, c5 + L);
    }

    /** {@link #k8x2} for A rows contiguous (csA = 1) and B at stride 2L, like {@link #k4x2Panel}. */
    private static void k8x2Panel(int kl, float[] a, int ai, int rsA, float[] b, int bi,
                                  boolean acc, float[] c, int ci, int ldc) {
        int c0 = ci, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc, c6 = c5 + ldc,
                c7 = c6 + ldc;
        FloatVector c00 = load(acc, c, c0), c01 = load(acc, c, c0 + L);
        FloatVector c10 = load(acc, c, c1), c11 = load(acc, c, c1 + L);
        FloatVector c20 = load(acc, c, c2), c21 = load(acc, c, c2 + L);
        FloatVector c30 = load(acc, c, c3), c31 = load(acc, c, c3 + L);
        FloatVector c40 = load(acc, c, c4), c41 = load(acc, c, c4 + L);
        FloatVector c50 = load(acc, c, c5), c51 = load(acc, c, c5 + L);
        FloatVector c60 = load(acc, c, c6), c61 = load(acc, c, c6 + L);
        FloatVector c70 = load(acc, c, c7), c71 = load(acc, c, c7 + L);
        int a0 = ai, a1 = a0 + rsA, a2 = a1 + rsA, a3 = a2 + rsA, a4 = a3 + rsA, a5 = a4 + rsA, a6 = a5 + rsA,
                a7 = a6 + rsA;
        for (int p = 0; p < kl; p++) {
            int bo = bi + p * (2 * L);
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            x = FloatVector.broadcast(S, a[a4 + p]);
            c40 = b0.fma(x, c40);
            c41 = b1.fma(x, c41);
            x = FloatVector.broadcast(S, a[a5 + p]);
            c50 = b0.fma(x, c50);
            c51 = b1.fma(x, c51);
            x = FloatVector.broadcast(S, a[a6 + p]);
            c60 = b0.fma(x, c60);
            c61 = b1.fma(x, c61);
            x = FloatVector.broadcast(S, a[a7 + p]);
            c70 = b0.fma(x, c70);
            c71 = b1.fma(x, c71);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + L);
        c10.intoArray(c, c1);
        c11.intoArray(c, c1 + L);
        c20.intoArray(c, c2);
        c21.intoArray(c, c2 + L);
        c30.intoArray(c, c3);
        c31.intoArray(c, c3 + L);
        c40.intoArray(c, c4);
        c41.intoArray(c, c4 + L);
        c50.intoArray(c, c5);
        c51.intoArray(c, c5 + L);
        c60.intoArray(c, c6);
        c61.intoArray(c, c6 + L);
        c70.intoArray(c, c7);
        c71.intoArray(c, c7 + L);
    }

    /** {@link #k4x2Panel} that also copies the next B panel, row p of it at iteration p. */
    private static void k4x2PanelPacking(int kl, float[] a, int ai, int rsA, float[] b, int bi, boolean acc, float[] c,
                                         int ci, int ldc, float[] src, int si, int lds, float[] dst, int di) {
        int c0 = ci, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
        FloatVector c00 = load(acc, c, c0), c01 = load(acc, c, c0 + L);
        FloatVector c10 = load(acc, c, c1), c11 = load(acc, c, c1 + L);
        FloatVector c20 = load(acc, c, c2), c21 = load(acc, c, c2 + L);
        FloatVector c30 = load(acc, c, c3), c31 = load(acc, c, c3 + L);
        int a0 = ai, a1 = a0 + rsA, a2 = a1 + rsA, a3 = a2 + rsA;
        for (int p = 0; p < kl; p++) {
            int bo = bi + p * (2 * L);
            int so = si + p * lds, dO = di + p * (2 * L);
            FloatVector.fromArray(S, src, so).intoArray(dst, dO);
            FloatVector.fromArray(S, src, so + L).intoArray(dst, dO + L);
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + L);
        c10.intoArray(c, c1);
        c11.intoArray(c, c1 + L);
        c20.intoArray(c, c2);
        c21.intoArray(c, c2 + L);
        c30.intoArray(c, c3);
        c31.intoArray(c, c3 + L);
    }

    private static FloatVector load(boolean acc, float[] c, int i) {
        return acc ? FloatVector.fromArray(S, c, i) : FloatVector.zero(S);
    }

    private static void k4x3(int kl, float[] a, int ai, int rsA, int csA, float[] b, int bi, int ldb,
                             boolean acc, float[] c, int ci, int ldc) {
        int c0 = ci, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
        FloatVector c00 = load(acc, c, c0), c01 = load(acc, c, c0 + L), c02 = load(acc, c, c0 + 2 * L);
        FloatVector c10 = load(acc, c, c1), c11 = load(acc, c, c1 + L), c12 = load(acc, c, c1 + 2 * L);
        FloatVector c20 = load(acc, c, c2), c21 = load(acc, c, c2 + L), c22 = load(acc, c, c2 + 2 * L);
        FloatVector c30 = load(acc, c, c3), c31 = load(acc, c, c3 + L), c32 = load(acc, c, c3 + 2 * L);
        int a0 = ai, a1 = a0 + rsA, a2 = a1 + rsA, a3 = a2 + rsA;
        for (int p = 0; p < kl; p++) {
            int bo = bi + p * ldb;
            int ao = p * csA;
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bo + 2 * L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + ao]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            c02 = b2.fma(x, c02);
            x = FloatVector.broadcast(S, a[a1 + ao]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            c12 = b2.fma(x, c12);
            x = FloatVector.broadcast(S, a[a2 + ao]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            c22 = b2.fma(x, c22);
            x = FloatVector.broadcast(S, a[a3 + ao]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            c32 = b2.fma(x, c32);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + L);
        c02.intoArray(c, c0 + 2 * L);
        c10.intoArray(c, c1);
        c11.intoArray(c, c1 + L);
        c12.intoArray(c, c1 + 2 * L);
        c20.intoArray(c, c2);
        c21.intoArray(c, c2 + L);
        c22.intoArray(c, c2 + 2 * L);
        c30.intoArray(c, c3);
        c31.intoArray(c, c3 + L);
        c32.intoArray(c, c3 + 2 * L);
    }

    private static void k8x3(int kl, float[] a, int ai, int rsA, int csA, float[] b, int bi, int ldb,
                             boolean acc, float[] c, int ci, int ldc) {
        int c0 = ci, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc, c6 = c5 + ldc,
                c7 = c6 + ldc;
        FloatVector c00 = load(acc, c, c0), c01 = load(acc, c, c0 + L), c02 = load(acc, c, c0 + 2 * L);
        FloatVector c10 = load(acc, c, c1), c11 = load(acc, c, c1 + L), c12 = load(acc, c, c1 + 2 * L);
        FloatVector c20 = load(acc, c, c2), c21 = load(acc, c, c2 + L), c22 = load(acc, c, c2 + 2 * L);
        FloatVector c30 = load(acc, c, c3), c31 = load(acc, c, c3 + L), c32 = load(acc, c, c3 + 2 * L);
        FloatVector c40 = load(acc, c, c4), c41 = load(acc, c, c4 + L), c42 = load(acc, c, c4 + 2 * L);
        FloatVector c50 = load(acc, c, c5), c51 = load(acc, c, c5 + L), c52 = load(acc, c, c5 + 2 * L);
        FloatVector c60 = load(acc, c, c6), c61 = load(acc, c, c6 + L), c62 = load(acc, c, c6 + 2 * L);
        FloatVector c70 = load(acc, c, c7), c71 = load(acc, c, c7 + L), c72 = load(acc, c, c7 + 2 * L);
        int a0 = ai, a1 = a0 + rsA, a2 = a1 + rsA, a3 = a2 + rsA, a4 = a3 + rsA, a5 = a4 + rsA, a6 = a5 + rsA,
                a7 = a6 + rsA;
        for (int p = 0; p < kl; p++) {
            int bo = bi + p * ldb;
            int ao = p * csA;
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bo + 2 * L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + ao]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            c02 = b2.fma(x, c02);
            x = FloatVector.broadcast(S, a[a1 + ao]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            c12 = b2.fma(x, c12);
            x = FloatVector.broadcast(S, a[a2 + ao]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            c22 = b2.fma(x, c22);
            x = FloatVector.broadcast(S, a[a3 + ao]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            c32 = b2.fma(x, c32);
            x = FloatVector.broadcast(S, a[a4 + ao]);
            c40 = b0.fma(x, c40);
            c41 = b1.fma(x, c41);
            c42 = b2.fma(x, c42);
            x = FloatVector.broadcast(S, a[a5 + ao]);
            c50 = b0.fma(x, c50);
            c51 = b1.fma(x, c51);
            c52 = b2.fma(x, c52);
            x = FloatVector.broadcast(S, a[a6 + ao]);
            c60 = b0.fma(x, c60);
            c61 = b1.fma(x, c61);
            c62 = b2.fma(x, c62);
            x = FloatVector.broadcast(S, a[a7 + ao]);
            c70 = b0.fma(x, c70);
            c71 = b1.fma(x, c71);
            c72 = b2.fma(x, c72);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + L);
        c02.intoArray(c, c0 + 2 * L);
        c10.intoArray(c, c1);
        c11.intoArray(c, c1 + L);
        c12.intoArray(c, c1 + 2 * L);
        c20.intoArray(c, c2);
        c21.intoArray(c, c2 + L);
        c22.intoArray(c, c2 + 2 * L);
        c30.intoArray(c, c3);
        c31.intoArray(c, c3 + L);
        c32.intoArray(c, c3 + 2 * L);
        c40.intoArray(c, c4);
        c41.intoArray(c, c4 + L);
        c42.intoArray(c, c4 + 2 * L);
        c50.intoArray(c, c5);
        c51.intoArray(c, c5 + L);
        c52.intoArray(c, c5 + 2 * L);
        c60.intoArray(c, c6);
        c61.intoArray(c, c6 + L);
        c62.intoArray(c, c6 + 2 * L);
        c70.intoArray(c, c7);
        c71.intoArray(c, c7 + L);
        c72.intoArray(c, c7 + 2 * L);
    }

    /** {@link #k8x3} that also copies the next B panel, row p of it at iteration p. */
    private static void k8x3Packing(int kl, float[] a, int ai, int rsA, int csA, float[] b, int bi, int ldb,
                                    boolean acc, float[] c, int ci, int ldc, float[] src, int si, int lds, float[] dst, int di) {
        int c0 = ci, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc, c6 = c5 + ldc,
                c7 = c6 + ldc;
        FloatVector c00 = load(acc, c, c0), c01 = load(acc, c, c0 + L), c02 = load(acc, c, c0 + 2 * L);
        FloatVector c10 = load(acc, c, c1), c11 = load(acc, c, c1 + L), c12 = load(acc, c, c1 + 2 * L);
        FloatVector c20 = load(acc, c, c2), c21 = load(acc, c, c2 + L), c22 = load(acc, c, c2 + 2 * L);
        FloatVector c30 = load(acc, c, c3), c31 = load(acc, c, c3 + L), c32 = load(acc, c, c3 + 2 * L);
        FloatVector c40 = load(acc, c, c4), c41 = load(acc, c, c4 + L), c42 = load(acc, c, c4 + 2 * L);
        FloatVector c50 = load(acc, c, c5), c51 = load(acc, c, c5 + L), c52 = load(acc, c, c5 + 2 * L);
        FloatVector c60 = load(acc, c, c6), c61 = load(acc, c, c6 + L), c62 = load(acc, c, c6 + 2 * L);
        FloatVector c70 = load(acc, c, c7), c71 = load(acc, c, c7 + L), c72 = load(acc, c, c7 + 2 * L);
        int a0 = ai, a1 = a0 + rsA, a2 = a1 + rsA, a3 = a2 + rsA, a4 = a3 + rsA, a5 = a4 + rsA, a6 = a5 + rsA,
                a7 = a6 + rsA;
        for (int p = 0; p < kl; p++) {
            int bo = bi + p * ldb;
            int ao = p * csA;
            int so = si + p * lds, dO = di + p * NR;
            FloatVector.fromArray(S, src, so).intoArray(dst, dO);
            FloatVector.fromArray(S, src, so + L).intoArray(dst, dO + L);
            FloatVector.fromArray(S, src, so + 2 * L).intoArray(dst, dO + 2 * L);
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bo + 2 * L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + ao]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            c02 = b2.fma(x, c02);
            x = FloatVector.broadcast(S, a[a1 + ao]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            c12 = b2.fma(x, c12);
            x = FloatVector.broadcast(S, a[a2 + ao]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            c22 = b2.fma(x, c22);
            x = FloatVector.broadcast(S, a[a3 + ao]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            c32 = b2.fma(x, c32);
            x = FloatVector.broadcast(S, a[a4 + ao]);
            c40 = b0.fma(x, c40);
            c41 = b1.fma(x, c41);
            c42 = b2.fma(x, c42);
            x = FloatVector.broadcast(S, a[a5 + ao]);
            c50 = b0.fma(x, c50);
            c51 = b1.fma(x, c51);
            c52 = b2.fma(x, c52);
            x = FloatVector.broadcast(S, a[a6 + ao]);
            c60 = b0.fma(x, c60);
            c61 = b1.fma(x, c61);
            c62 = b2.fma(x, c62);
            x = FloatVector.broadcast(S, a[a7 + ao]);
            c70 = b0.fma(x, c70);
            c71 = b1.fma(x, c71);
            c72 = b2.fma(x, c72);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + L);
        c02.intoArray(c, c0 + 2 * L);
        c10.intoArray(c, c1);
        c11.intoArray(c, c1 + L);
        c12.intoArray(c, c1 + 2 * L);
        c20.intoArray(c, c2);
        c21.intoArray(c, c2 + L);
        c22.intoArray(c, c2 + 2 * L);
        c30.intoArray(c, c3);
        c31.intoArray(c, c3 + L);
        c32.intoArray(c, c3 + 2 * L);
        c40.intoArray(c, c4);
        c41.intoArray(c, c4 + L);
        c42.intoArray(c, c4 + 2 * L);
        c50.intoArray(c, c5);
        c51.intoArray(c, c5 + L);
        c52.intoArray(c, c5 + 2 * L);
        c60.intoArray(c, c6);
        c61.intoArray(c, c6 + L);
        c62.intoArray(c, c6 + 2 * L);
        c70.intoArray(c, c7);
        c71.intoArray(c, c7 + L);
        c72.intoArray(c, c7 + 2 * L);
    }

    private static void k8x2(int kl, float[] a, int ai, int rsA, int csA, float[] b, int bi, int ldb,
                             boolean acc, float[] c, int ci, int ldc) {
        int c0 = ci, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc, c6 = c5 + ldc,
                c7 = c6 + ldc;
        FloatVector c00 = load(acc, c, c0), c01 = load(acc, c, c0 + L);
        FloatVector c10 = load(acc, c, c1), c11 = load(acc, c, c1 + L);
        FloatVector c20 = load(acc, c, c2), c21 = load(acc, c, c2 + L);
        FloatVector c30 = load(acc, c, c3), c31 = load(acc, c, c3 + L);
        FloatVector c40 = load(acc, c, c4), c41 = load(acc, c, c4 + L);
        FloatVector c50 = load(acc, c, c5), c51 = load(acc, c, c5 + L);
        FloatVector c60 = load(acc, c, c6), c61 = load(acc, c, c6 + L);
        FloatVector c70 = load(acc, c, c7), c71 = load(acc, c, c7 + L);
        int a0 = ai, a1 = a0 + rsA, a2 = a1 + rsA, a3 = a2 + rsA, a4 = a3 + rsA, a5 = a4 + rsA, a6 = a5 + rsA,
                a7 = a6 + rsA;
        for (int p = 0; p < kl; p++) {
            int bo = bi + p * ldb;
            int ao = p * csA;
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + ao]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            x = FloatVector.broadcast(S, a[a1 + ao]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            x = FloatVector.broadcast(S, a[a2 + ao]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            x = FloatVector.broadcast(S, a[a3 + ao]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            x = FloatVector.broadcast(S, a[a4 + ao]);
            c40 = b0.fma(x, c40);
            c41 = b1.fma(x, c41);
            x = FloatVector.broadcast(S, a[a5 + ao]);
            c50 = b0.fma(x, c50);
            c51 = b1.fma(x, c51);
            x = FloatVector.broadcast(S, a[a6 + ao]);
            c60 = b0.fma(x, c60);
            c61 = b1.fma(x, c61);
            x = FloatVector.broadcast(S, a[a7 + ao]);
            c70 = b0.fma(x, c70);
            c71 = b1.fma(x, c71);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + L);
        c10.intoArray(c, c1);
        c11.intoArray(c, c1 + L);
        c20.intoArray(c, c2);
        c21.intoArray(c, c2 + L);
        c30.intoArray(c, c3);
        c31.intoArray(c, c3 + L);
        c40.intoArray(c, c4);
        c41.intoArray(c, c4 + L);
        c50.intoArray(c, c5);
        c51.intoArray(c, c5 + L);
        c60.intoArray(c, c6);
        c61.intoArray(c, c6 + L);
        c70.intoArray(c, c7);
        c71.intoArray(c, c7 + L);
    }

    private static void k8x1(int kl, float[] a, int ai, int rsA, int csA, float[] b, int bi, int ldb,
                             boolean acc, float[] c, int ci, int ldc) {
        int c0 = ci, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc, c6 = c5 + ldc,
                c7 = c6 + ldc;
        FloatVector v0 = load(acc, c, c0), v1 = load(acc, c, c1), v2 = load(acc, c, c2), v3 = load(acc, c, c3);
        FloatVector v4 = load(acc, c, c4), v5 = load(acc, c, c5), v6 = load(acc, c, c6), v7 = load(acc, c, c7);
        int a0 = ai, a1 = a0 + rsA, a2 = a1 + rsA, a3 = a2 + rsA, a4 = a3 + rsA, a5 = a4 + rsA, a6 = a5 + rsA,
                a7 = a6 + rsA;
        for (int p = 0; p < kl; p++) {
            FloatVector bv = FloatVector.fromArray(S, b, bi + p * ldb);
            int ao = p * csA;
            v0 = bv.fma(FloatVector.broadcast(S, a[a0 + ao]), v0);
            v1 = bv.fma(FloatVector.broadcast(S, a[a1 + ao]), v1);
            v2 = bv.fma(FloatVector.broadcast(S, a[a2 + ao]), v2);
            v3 = bv.fma(FloatVector.broadcast(S, a[a3 + ao]), v3);
            v4 = bv.fma(FloatVector.broadcast(S, a[a4 + ao]), v4);
            v5 = bv.fma(FloatVector.broadcast(S, a[a5 + ao]), v5);
            v6 = bv.fma(FloatVector.broadcast(S, a[a6 + ao]), v6);
            v7 = bv.fma(FloatVector.broadcast(S, a[a7 + ao]), v7);
        }
        v0.intoArray(c, c0);
        v1.intoArray(c, c1);
        v2.intoArray(c, c2);
        v3.intoArray(c, c3);
        v4.intoArray(c, c4);
        v5.intoArray(c, c5);
        v6.intoArray(c, c6);
        v7.intoArray(c, c7);
    }

    /** {@link #k8x1} for A rows contiguous (csA = 1) and B at stride L, like {@link #k4x2Panel}. */
    private static void k8x1Panel(int kl, float[] a, int ai, int rsA, float[] b, int bi,
                                  boolean acc, float[] c, int ci, int ldc) {
        int c0 = ci, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc, c6 = c5 + ldc,
                c7 = c6 + ldc;
        FloatVector v0 = load(acc, c, c0), v1 = load(acc, c, c1), v2 = load(acc, c, c2), v3 = load(acc, c, c3);
        FloatVector v4 = load(acc, c, c4), v5 = load(acc, c, c5), v6 = load(acc, c, c6), v7 = load(acc, c, c7);
        int a0 = ai, a1 = a0 + rsA, a2 = a1 + rsA, a3 = a2 + rsA, a4 = a3 + rsA, a5 = a4 + rsA, a6 = a5 + rsA,
                a7 = a6 + rsA;
        for (int p = 0; p < kl; p++) {
            FloatVector bv = FloatVector.fromArray(S, b, bi + p * L);
            v0 = bv.fma(FloatVector.broadcast(S, a[a0 + p]), v0);
            v1 = bv.fma(FloatVector.broadcast(S, a[a1 + p]), v1);
            v2 = bv.fma(FloatVector.broadcast(S, a[a2 + p]), v2);
            v3 = bv.fma(FloatVector.broadcast(S, a[a3 + p]), v3);
            v4 = bv.fma(FloatVector.broadcast(S, a[a4 + p]), v4);
            v5 = bv.fma(FloatVector.broadcast(S, a[a5 + p]), v5);
            v6 = bv.fma(FloatVector.broadcast(S, a[a6 + p]), v6);
            v7 = bv.fma(FloatVector.broadcast(S, a[a7 + p]), v7);
        }
        v0.intoArray(c, c0);
        v1.intoArray(c, c1);
        v2.intoArray(c, c2);
        v3.intoArray(c, c3);
        v4.intoArray(c, c4);
        v5.intoArray(c, c5);
        v6.intoArray(c, c6);
        v7.intoArray(c, c7);
    }

    private static void k4x2(int kl, float[] a, int ai, int rsA, int csA, float[] b, int bi, int ldb,
                             boolean acc, float[] c, int ci, int ldc) {
        int c0 = ci, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
        FloatVector c00 = load(acc, c, c0), c01 = load(acc, c, c0 + L);
        FloatVector c10 = load(acc, c, c1), c11 = load(acc, c, c1 + L);
        FloatVector c20 = load(acc, c, c2), c21 = load(acc, c, c2 + L);
        FloatVector c30 = load(acc, c, c3), c31 = load(acc, c, c3 + L);
        int a0 = ai, a1 = a0 + rsA, a2 = a1 + rsA, a3 = a2 + rsA;
        for (int p = 0; p < kl; p++) {
            int bo = bi + p * ldb;
            int ao = p * csA;
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + ao]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            x = FloatVector.broadcast(S, a[a1 + ao]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            x = FloatVector.broadcast(S, a[a2 + ao]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            x = FloatVector.broadcast(S, a[a3 + ao]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + L);
        c10.intoArray(c, c1);
        c11.intoArray(c, c1 + L);
        c20.intoArray(c, c2);
        c21.intoArray(c, c2 + L);
        c30.intoArray(c, c3);
        c31.intoArray(c, c3 + L);
    }

    private static void k4x1(int kl, float[] a, int ai, int rsA, int csA, float[] b, int bi, int ldb,
                             boolean acc, float[] c, int ci, int ldc) {
        int c0 = ci, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
        FloatVector v0 = load(acc, c, c0), v1 = load(acc, c, c1);
        FloatVector v2 = load(acc, c, c2), v3 = load(acc, c, c3);
        int a0 = ai, a1 = a0 + rsA, a2 = a1 + rsA, a3 = a2 + rsA;
        for (int p = 0; p < kl; p++) {
            FloatVector bv = FloatVector.fromArray(S, b, bi + p * ldb);
            int ao = p * csA;
            v0 = bv.fma(FloatVector.broadcast(S, a[a0 + ao]), v0);
            v1 = bv.fma(FloatVector.broadcast(S, a[a1 + ao]), v1);
            v2 = bv.fma(FloatVector.broadcast(S, a[a2 + ao]), v2);
            v3 = bv.fma(FloatVector.broadcast(S, a[a3 + ao]), v3);
        }
        v0.intoArray(c, c0);
        v1.intoArray(c, c1);
        v2.intoArray(c, c2);
        v3.intoArray(c, c3);
    }

    /** One row, four vectors: the m=1 (sampling) case and row tails; B streams, so loads dominate anyway. */
    private static void k1x4(int kl, float[] a, int ai, int csA, float[] b, int bi, int ldb,
                             boolean acc, float[] c, int ci) {
        FloatVector v0 = load(acc, c, ci), v1 = load(acc, c, ci + L);
        FloatVector v2 = load(acc, c, ci + 2 * L), v3 = load(acc, c, ci + 3 * L);
        for (int p = 0; p < kl; p++) {
            int bo = bi + p * ldb;
            FloatVector x = FloatVector.broadcast(S, a[ai + p * csA]);
            v0 = FloatVector.fromArray(S, b, bo).fma(x, v0);
            v1 = FloatVector.fromArray(S, b, bo + L).fma(x, v1);
            v2 = FloatVector.fromArray(S, b, bo + 2 * L).fma(x, v2);
            v3 = FloatVector.fromArray(S, b, bo + 3 * L).fma(x, v3);
        }
        v0.intoArray(c, ci);
        v1.intoArray(c, ci + L);
        v2.intoArray(c, ci + 2 * L);
        v3.intoArray(c, ci + 3 * L);
    }

    /** One row, one packed strip. */
    private static void k1x3(int kl, float[] a, int ai, int csA, float[] b, int bi, int ldb,
                             boolean acc, float[] c, int ci) {
        FloatVector v0 = load(acc, c, ci), v1 = load(acc, c, ci + L), v2 = load(acc, c, ci + 2 * L);
        for (int p = 0; p < kl; p++) {
            int bo = bi + p * ldb;
            FloatVector x = FloatVector.broadcast(S, a[ai + p * csA]);
            v0 = FloatVector.fromArray(S, b, bo).fma(x, v0);
            v1 = FloatVector.fromArray(S, b, bo + L).fma(x, v1);
            v2 = FloatVector.fromArray(S, b, bo + 2 * L).fma(x, v2);
        }
        v0.intoArray(c, ci);
        v1.intoArray(c, ci + L);
        v2.intoArray(c, ci + 2 * L);
    }

    private static void k1x1(int kl, float[] a, int ai, int csA, float[] b, int bi, int ldb,
                             boolean acc, float[] c, int ci) {
        FloatVector v = load(acc, c, ci);
        for (int p = 0; p < kl; p++) {
            v = FloatVector.fromArray(S, b, bi + p * ldb).fma(FloatVector.broadcast(S, a[ai + p * csA]), v);
        }
        v.intoArray(c, ci);
    }

    /** Fewer columns than a vector, too few rows to pay for padding them: the same fma chain, one element at a time. */
    private static void scalar(int kl, float[] a, int ai, int rsA, int csA, float[] b, int bi, int ldb,
                               boolean acc, float[] c, int ci, int ldc, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int ar = ai + r * rsA;
            for (int s = 0; s < cols; s++) {
                int idx = ci + r * ldc + s;
                float sum = acc ? c[idx] : 0f;
                for (int p = 0; p < kl; p++) {
                    sum = Math.fma(a[ar + p * csA], b[bi + p * ldb + s], sum);
                }
                c[idx] = sum;
            }
        }
    }

    /** {@code dst[p*ldd + j] = src[j*lds + p]} for p in [p0,p1), j in [j0,j1): a transposed copy. */
    static void transposeInto(int p0, int p1, float[] src, int sOff, int lds, float[] dst, int dOff, int ldd,
                              int j0, int j1) {
        // 16 source rows at a time: 16 sequential read streams, each destination row segment one cache line.
        for (int jb = j0; jb < j1; jb += 16) {
            int je = Math.min(j1, jb + 16);
            for (int p = p0; p < p1; p++) {
                int d = dOff + p * ldd;
                for (int j = jb; j < je; j++) {
                    dst[d + j] = src[sOff + j * lds + p];
                }
            }
        }
    }
}

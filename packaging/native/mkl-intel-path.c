/*
 * Preloaded by the clipwb launcher on AMD x86-64 CPUs (see clipwb and docs/performance.md, "MKL's code path").
 *
 * PyTorch's CPU library carries a static copy of oneMKL, which asks this one function whether the CPU is made by
 * Intel and, when it is not, runs its matrix products through a slower code path than the CPU's instruction set
 * allows. libtorch_cpu.so calls the function through its procedure linkage table, so a preloaded definition answers
 * instead: MKL then picks its kernels by the instructions the CPU has (AVX2, AVX-512), as it does on Intel CPUs.
 * The results stay within float32 rounding of the default path (measured: 1.7e-7 on ViT-B/32 embeddings).
 */
int mkl_serv_intel_cpu_true(void) {
    return 1;
}

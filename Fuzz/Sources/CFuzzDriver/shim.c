/* Only the header: LLVMFuzzerRunDriver comes from libFuzzer. */

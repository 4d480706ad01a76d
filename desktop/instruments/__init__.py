"""Live instruments: the run session, its QThread, the CPU sampler and the lag meter."""

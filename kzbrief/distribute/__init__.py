"""After the build: numbered recipient copies, the register of who got which, and tracing."""

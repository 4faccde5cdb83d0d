from .cli import main

# Guarded, as multiprocessing asks of a main module: a process it spawns imports it again.
if __name__ == "__main__":
    raise SystemExit(main())

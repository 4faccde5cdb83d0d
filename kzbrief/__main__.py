from .cli import exit_quickly, main

# Guarded: a typesetting worker's fork server imports this module (as __mp_main__).
if __name__ == "__main__":
    exit_quickly(main())

#!/usr/bin/env python
from makegood.cli import main

if __name__ == "__main__":
    main()

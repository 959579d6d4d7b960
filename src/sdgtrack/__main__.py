from sdgtrack.cli import main

main()

from filmkit.cli import main

main()

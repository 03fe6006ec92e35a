from filmkit.cli.commands import main

main()

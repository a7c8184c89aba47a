from gvia.cli.main import main

main()

from safemoves.cli import main

main()

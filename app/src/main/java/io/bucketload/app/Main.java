package io.bucketload.app;

import io.bucketload.core.error.BucketloadException;
import io.bucketload.core.error.TargetException;
import io.bucketload.core.scratch.ScratchFolder;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code bucketload} command. */
@Command(
    name = "bucketload",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Loads CSV files from a folder or a bucket into a database: validated, exactly once.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every file loaded or already loaded",
      "1:a file failed (rejects over the threshold, missing key column, malformed CSV)",
      "2:usage or configuration error",
      "3:system failure (target unreachable, disk full)",
      "4:another run holds the DuckDB file (try again)",
      "130:run interrupted (Ctrl-C, SIGTERM): nothing of the file in hand was committed"
    })
public final class Main implements Runnable {
  /**
   * The subcommands, in the order the help lists them. Building picocli's model of a subcommand
   * reflects over its class; only the one a command line names is built (see {@link #execute}).
   */
  static final List<Class<?>> SUBCOMMANDS =
      List.of(
          QuickstartCommand.class,
          RunCommand.class,
          ValidateCommand.class,
          InferCommand.class,
          RunsCommand.class,
          QueryCommand.class,
          ServeCommand.class,
          NotifyTestCommand.class,
          ProvisionCommand.class,
          UploadCommand.class,
          TemplateCommand.class,
          TeardownCommand.class,
          CommandLine.HelpCommand.class);

  /** The top-level options that print the top-level help or the version instead of running. */
  private static final Set<String> TOP_LEVEL_REQUESTS = Set.of("-h", "--help", "-V", "--version");

  /** The top-level options that print the version, which needs no subcommand. */
  private static final Set<String> VERSION_REQUESTS = Set.of("-V", "--version");

  @Option(
      names = "--stacktrace",
      description = "Print stack traces of errors.",
      scope = CommandLine.ScopeType.INHERIT)
  boolean stacktrace;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * Runs the command line and exits with its code, after removing the process's scratch folder (an
   * interrupted {@code run} and a stopped {@code serve} remove it from their stop hooks).
   */
  public static void main(String[] args) {
    int code = execute(args);
    ScratchFolder.removeProcessFolder();
    System.exit(code);
  }

  /** Runs the command line and returns its exit code. */
  public static int execute(String... args) {
    CommandLine commandLine = new CommandLine(new Main());
    for (Class<?> subcommand : subcommandsFor(args)) {
      commandLine.addSubcommand(subcommand);
    }
    commandLine.setExecutionExceptionHandler(Main::handle);
    commandLine.setParameterExceptionHandler(
        (error, arguments) -> {
          PrintWriter err = error.getCommandLine().getErr();
          err.println("bucketload: " + error.getMessage());
          CommandLine.UnmatchedArgumentException.printSuggestions(error, err);
          err.println(
              "Try '" + error.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
          return ExitCode.USAGE.code();
        });
    return commandLine.execute(args);
  }

  /**
   * The subcommands a command line needs: the one its first argument that is not an option names,
   * or every one when that argument names none (a usage mistake, an {@code @file} of arguments, the
   * {@code help} subcommand) or when the top-level help or version option comes before it (picocli
   * then prints the top-level help, which lists every subcommand). The top-level options take no
   * value. Parsing with that one subcommand gives the same result as parsing with all of them, at a
   * fraction of the start-up time. A command line of nothing but the version option (and {@code
   * --stacktrace}) needs no subcommand: the version is all it prints.
   */
  static List<Class<?>> subcommandsFor(String... args) {
    if (Arrays.stream(args).anyMatch(VERSION_REQUESTS::contains)
        && Arrays.stream(args)
            .allMatch(arg -> VERSION_REQUESTS.contains(arg) || arg.equals("--stacktrace"))) {
      return List.of();
    }
    for (String arg : args) {
      if (arg.startsWith("-")) {
        if (TOP_LEVEL_REQUESTS.contains(arg)) {
          return SUBCOMMANDS;
        }
        continue;
      }
      if (arg.equals("help")) {
        break;
      }
      for (Class<?> subcommand : SUBCOMMANDS) {
        if (subcommand.getAnnotation(Command.class).name().equals(arg)) {
          return List.of(subcommand);
        }
      }
      break;
    }
    return SUBCOMMANDS;
  }

  private static int handle(
      Exception error, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    PrintWriter err = commandLine.getErr();
    boolean trace = false;
    for (CommandLine.ParseResult result = parseResult;
        result != null;
        result = result.subcommand()) {
      trace |= result.hasMatchedOption("--stacktrace");
    }
    ExitCode code;
    String message;
    if (error instanceof TargetException busy && busy.isBusy()) {
      code = ExitCode.BUSY;
      message = busy.getMessage();
    } else if (error instanceof BucketloadException known) {
      code = ExitCode.of(known.fault());
      message = known.getMessage();
    } else if (error instanceof IOException) {
      code = ExitCode.SYSTEM;
      message = "I/O failure: " + error.getMessage();
    } else {
      code = ExitCode.SYSTEM;
      message = "unexpected failure: " + error + " (run with --stacktrace for details)";
    }
    err.println("bucketload: " + message);
    if (trace) {
      error.printStackTrace(err);
    }
    err.flush();
    return code.code();
  }

  /** Reads the version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"bucketload " + (version == null ? "(development build)" : version)};
    }
  }
}

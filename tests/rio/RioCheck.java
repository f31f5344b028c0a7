// Strict RDF4J Rio check of Turtle files: the parser GraphDB and Neo4j n10s load RDF with.
// Usage: java -cp CLASSPATH RioCheck FILE...  (syntax from the name: .nt, .trig, else Turtle)  Prints "FILE: N statements" per file;
// exits 1 on the first parse error (with its line), 2 on a usage or I/O error.
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;

import org.eclipse.rdf4j.rio.ParserConfig;
import org.eclipse.rdf4j.rio.RDFFormat;
import org.eclipse.rdf4j.rio.RDFParseException;
import org.eclipse.rdf4j.rio.RDFParser;
import org.eclipse.rdf4j.rio.Rio;
import org.eclipse.rdf4j.rio.helpers.AbstractRDFHandler;
import org.eclipse.rdf4j.rio.helpers.BasicParserSettings;
import org.eclipse.rdf4j.model.Statement;

public final class RioCheck {
    private static final class Counter extends AbstractRDFHandler {
        long count;

        @Override
        public void handleStatement(Statement st) {
            count++;
        }
    }

    /** A Turtle parser that verifies every datatype, language tag and IRI instead of passing them. */
    private static RDFParser strictParser(String path, Counter counter) {
        RDFFormat format = Rio.getParserFormatForFileName(path).orElse(RDFFormat.TURTLE);
        RDFParser parser = Rio.createParser(format);
        ParserConfig config = parser.getParserConfig();
        config.set(BasicParserSettings.VERIFY_DATATYPE_VALUES, true);
        config.set(BasicParserSettings.FAIL_ON_UNKNOWN_DATATYPES, true);
        config.set(BasicParserSettings.VERIFY_URI_SYNTAX, true);
        config.set(BasicParserSettings.VERIFY_RELATIVE_URIS, true);
        config.set(BasicParserSettings.VERIFY_LANGUAGE_TAGS, true);
        config.set(BasicParserSettings.FAIL_ON_UNKNOWN_LANGUAGES, true);
        parser.setRDFHandler(counter);
        return parser;
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println("usage: RioCheck FILE...");
            System.exit(2);
        }
        for (String path : args) {
            Counter counter = new Counter();
            try (InputStream in = new FileInputStream(path)) {
                strictParser(path, counter).parse(in, "urn:x-riocheck:");
            } catch (RDFParseException e) {
                System.err.println(path + ": line " + e.getLineNumber() + ": " + e.getMessage());
                System.exit(1);
            } catch (IOException | RuntimeException | LinkageError e) {
                // LinkageError: a jar missing from the classpath; not the file's fault
                System.err.println(path + ": " + e);
                System.exit(2);
            }
            System.out.println(path + ": " + counter.count + " statements");
        }
    }
}

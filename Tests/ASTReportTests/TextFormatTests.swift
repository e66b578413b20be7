import Testing
import ASTReport

@Suite struct TextFormatTests {
    @Test func csvQuotesOnlyWhatNeedsQuoting() {
        var table = CSVTable(header: ["plain", "with,comma"])
        table.append(["say \"hi\"", "two\nlines"])
        table.append(["cr\rhere", "ok"])
        table.append(["", "1.5"])
        #expect(table.render() == "plain,\"with,comma\"\n\"say \"\"hi\"\"\",\"two\nlines\"\n\"cr\rhere\",ok\n,1.5\n")
        #expect(table.rows.count == 3)
    }

    @Test func numberText() {
        #expect(NumberText.format(0.1) == "0.1")
        #expect(NumberText.format(-2.0) == "-2.0")
        #expect(NumberText.format(Double.nan) == "nan")
        #expect(NumberText.format(Double.infinity) == "inf")
        #expect(NumberText.format(-Double.infinity) == "-inf")
        #expect(NumberText.format(nil as Double?) == "")
        #expect(NumberText.format(2.0 / 3.0 as Double?) == "0.6666666666666666")
        // Shortest round-trip: parsing the text gives the same Double back.
        for value in [1e-7, 123456.789, 5e-324, 0.1 + 0.2] { #expect(Double(NumberText.format(value)) == value) }
    }

    @Test func numberTextFixed() {
        #expect(NumberText.fixed(3.14159, 2) == "3.14")
        #expect(NumberText.fixed(2.5, 3) == "2.500")
        #expect(NumberText.fixed(0.1 + 0.2, 2) == "0.30")
        #expect(NumberText.fixed(2.0, 0) == "2")
        #expect(NumberText.fixed(-3.7, 0) == "-4")
        #expect(NumberText.fixed(1234.5678, 1) == "1234.6")
        #expect(NumberText.fixed(nil, 2) == "-")
        #expect(NumberText.fixed(.nan, 1) == "nan")
        #expect(NumberText.fixed(.infinity, 1) == "inf")
    }
}

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
    <context>
        <name>qmt::AtLogExporter</name>
        <message numerus="yes">
            <source>%n row(s) written to %1.</source>
            <translation>
                <numerusform>%n row written to %1.</numerusform>
                <numerusform>%n rows written to %1.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>qmt::CertificatesDialog</name>
        <message numerus="yes">
            <source>%n byte(s) stored</source>
            <translation>
                <numerusform>%n byte stored</numerusform>
                <numerusform>%n bytes stored</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%1 (in %n day(s))</source>
            <translation>
                <numerusform>%1 (in %n day)</numerusform>
                <numerusform>%1 (in %n days)</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>qmt::ChartPanel</name>
        <message numerus="yes">
            <source>%n older point(s) dropped: each line keeps its newest %1</source>
            <translation>
                <numerusform>%n older point dropped: each line keeps its newest %1</numerusform>
                <numerusform>%n older points dropped: each line keeps its newest %1</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n number(s) not charted: at most %1 lines</source>
            <translation>
                <numerusform>%n number not charted: at most %1 lines</numerusform>
                <numerusform>%n numbers not charted: at most %1 lines</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>qmt::ConsolePanel</name>
        <message numerus="yes">
            <source>  [data sent, %n byte(s), Ctrl+Z]</source>
            <translation>
                <numerusform>  [data sent, %n byte, Ctrl+Z]</numerusform>
                <numerusform>  [data sent, %n bytes, Ctrl+Z]</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>qmt::ControllerRecording</name>
        <message numerus="yes">
            <source>&lt;a line of %n byte(s) dropped: longer than the line cap&gt;</source>
            <translation>
                <numerusform>&lt;a line of %n byte dropped: longer than the line cap&gt;</numerusform>
                <numerusform>&lt;a line of %n bytes dropped: longer than the line cap&gt;</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>qmt::LogPanel</name>
        <message numerus="yes">
            <source>Exported %n row(s).</source>
            <translation>
                <numerusform>Exported %n row.</numerusform>
                <numerusform>Exported %n rows.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n row(s) dropped</source>
            <translation>
                <numerusform>%n row dropped</numerusform>
                <numerusform>%n rows dropped</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>qmt::ModelFeeder</name>
        <message numerus="yes">
            <source>&lt;a line of %n byte(s) dropped: longer than the line cap&gt;</source>
            <translation>
                <numerusform>&lt;a line of %n byte dropped: longer than the line cap&gt;</numerusform>
                <numerusform>&lt;a line of %n bytes dropped: longer than the line cap&gt;</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>qmt::PortPanel</name>
        <message numerus="yes">
            <source>None of the %n free serial port(s) answered AT at %1 baud. Check the cable, the power and the baud rate.</source>
            <translation>
                <numerusform>None of the %n free serial port answered AT at %1 baud. Check the cable, the power and the baud rate.</numerusform>
                <numerusform>None of the %n free serial ports answered AT at %1 baud. Check the cable, the power and the baud rate.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>qmt::PublishPanel</name>
        <message numerus="yes">
            <source>%n byte(s)</source>
            <translation>
                <numerusform>%n byte</numerusform>
                <numerusform>%n bytes</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>qmt::SlotMachine</name>
        <message numerus="yes">
            <source>Published after %n retransmission(s)</source>
            <translation>
                <numerusform>Published after %n retransmission</numerusform>
                <numerusform>Published after %n retransmissions</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>qmt::SubscriptionPanel</name>
        <message numerus="yes">
            <source>%n message(s) on new topics dropped: the tree is full</source>
            <translation>
                <numerusform>%n message on new topics dropped: the tree is full</numerusform>
                <numerusform>%n messages on new topics dropped: the tree is full</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%1 — %n byte(s), slot %2, %3</source>
            <translation>
                <numerusform>%1 — %n byte, slot %2, %3</numerusform>
                <numerusform>%1 — %n bytes, slot %2, %3</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>qmt::TlsCheckPage</name>
        <message numerus="yes">
            <source>%n problem(s): nothing will be uploaded. Go back to fix the material.</source>
            <translation>
                <numerusform>%n problem: nothing will be uploaded. Go back to fix the material.</numerusform>
                <numerusform>%n problems: nothing will be uploaded. Go back to fix the material.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>qmt::TlsMaterialPage</name>
        <message numerus="yes">
            <source>%1, %n character(s)</source>
            <translation>
                <numerusform>%1, %n character</numerusform>
                <numerusform>%1, %n characters</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n character(s) pasted</source>
            <translation>
                <numerusform>%n character pasted</numerusform>
                <numerusform>%n characters pasted</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>qmt::TlsUploadPage</name>
        <message numerus="yes">
            <source>%n byte(s) stored</source>
            <translation>
                <numerusform>%n byte stored</numerusform>
                <numerusform>%n bytes stored</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>qmt::TopicTreeModel</name>
        <message numerus="yes">
            <source>%1
%n message(s) on this topic</source>
            <translation>
                <numerusform>%1
%n message on this topic</numerusform>
                <numerusform>%1
%n messages on this topic</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n message(s) including subtopics</source>
            <translation>
                <numerusform>%n message including subtopics</numerusform>
                <numerusform>%n messages including subtopics</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>qmt::ValidationError</name>
        <message numerus="yes">
            <source>… (%n bytes)</source>
            <translation type="unfinished">
                <numerusform />
                <numerusform />
            </translation>
        </message>
        <message numerus="yes">
            <source>%n bytes</source>
            <translation type="unfinished">
                <numerusform />
                <numerusform />
            </translation>
        </message>
        <message numerus="yes">
            <source>&lt;redacted, %n bytes&gt;</source>
            <translation type="unfinished">
                <numerusform />
                <numerusform />
            </translation>
        </message>
        <message numerus="yes">
            <source>%n bytes given</source>
            <translation type="unfinished">
                <numerusform />
                <numerusform />
            </translation>
        </message>
    </context>
</TS>

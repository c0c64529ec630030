#include "gui/panels/portpanel.h"

#include "ui_portpanel.h"

#include "core/module/moduleprobe.h"
#include "core/module/serialportprovider.h"
#include "gui/models/serialportlistmodel.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QLineEdit>

namespace qmt {

namespace {
constexpr qint32 BaudRates[] = {9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600};
}

PortPanel::PortPanel(ModuleController &controller, SerialPortListModel &ports, ProviderFactory factory, QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::PortPanel>())
    , m_controller(controller)
    , m_ports(ports)
    , m_factory(std::move(factory))
    , m_probe(new ModuleProbe(this))
{
    m_ui->setupUi(this);
    m_ui->portCombo->setModel(&ports);
    // Any device path can be typed: the list shows only what the system enumerates, not pseudo-terminals.
    m_ui->portCombo->setEditable(true);
    m_ui->portCombo->setInsertPolicy(QComboBox::NoInsert);
    m_ui->portCombo->setCompleter(nullptr); // inline completion would turn a typed /dev/pts/1 into /dev/pts/10
    m_ui->portCombo->lineEdit()->setPlaceholderText(tr("a port, or a device path such as /dev/pts/3"));
    m_ports.setRecentPaths(m_recent.paths());
    for (qint32 baud : BaudRates)
        m_ui->baudCombo->addItem(QString::number(baud), baud);
    m_ui->baudCombo->setCurrentIndex(m_ui->baudCombo->findData(SerialPortProvider::DefaultBaudRate));
    connect(m_ui->openButton, &QPushButton::clicked, this, &PortPanel::toggleOpen);
    connect(m_ui->findButton, &QPushButton::clicked, this, &PortPanel::findModule);
    connect(m_ui->browseButton, &QToolButton::clicked, this, &PortPanel::browse);
    connect(&controller, &ModuleController::portStateChanged, this, &PortPanel::showPortState);
    connect(&controller, &ModuleController::infoChanged, this, &PortPanel::showIdentity);
    connect(m_probe, &ModuleProbe::probing, this,
            [this](const QString &port) { m_ui->statusLabel->setText(tr("Asking %1…").arg(port)); });
    connect(m_probe, &ModuleProbe::finished, this, [this](const QStringList &found) {
        m_ui->findButton->setEnabled(true);
        if (found.isEmpty()) {
            // Said with what was asked, and without losing sight of the port that is open.
            QString text = tr("None of the %n free serial port(s) answered AT at %1 baud. Check the cable, the power "
                              "and the baud rate.",
                              nullptr, int(m_probedCount))
                               .arg(m_probedBaud);
            if (m_controller.portState() == ModuleController::PortState::Open && m_controller.portProvider())
                text = tr("Open: %1. ").arg(m_controller.portProvider()->displayName()) + text;
            m_ui->statusLabel->setText(text);
            return;
        }
        showPort(found.front());
        m_ui->statusLabel->setText(tr("A module answered on %1.").arg(found.join(QStringLiteral(", "))));
    });
    showPortState(controller.portState(), {});
}

PortPanel::~PortPanel() = default;

QString PortPanel::selectedPort() const
{
    // The box shows a row's path (Qt::EditRole) or what the user typed.
    const QString text = m_ui->portCombo->currentText().trimmed();
    if (text == QLatin1String("virtual"))
        return SerialPortListModel::VirtualPortName; // as --port names it
    for (int row = 0; row < m_ports.rowCount() && !text.isEmpty(); ++row) {
        const QModelIndex index = m_ports.index(row);
        if (index.data(Qt::EditRole).toString() == text)
            return index.data(SerialPortListModel::PortNameRole).toString();
    }
    return text;
}

void PortPanel::showPort(const QString &port)
{
    for (int row = 0; row < m_ports.rowCount(); ++row) {
        const QModelIndex index = m_ports.index(row);
        if (index.data(SerialPortListModel::PortNameRole).toString() == port ||
            index.data(SerialPortListModel::SystemLocationRole).toString() == port) {
            m_ui->portCombo->setCurrentIndex(row);
            return;
        }
    }
    m_ui->portCombo->setCurrentIndex(-1);
    m_ui->portCombo->setEditText(port);
}

bool PortPanel::openPort(const QString &portName, qint32 baud)
{
    showPort(portName);
    m_ui->baudCombo->setCurrentIndex(std::max(0, m_ui->baudCombo->findData(baud)));
    m_controller.setPortProvider(m_factory(portName, baud));
    QString error;
    if (!m_controller.openPort(&error)) {
        m_ui->statusLabel->setText(error);
        return false;
    }
    if (portName != SerialPortListModel::VirtualPortName)
        rememberPath(portName);
    return true;
}

void PortPanel::rememberPath(const QString &portName)
{
    // A port the system lists is remembered by its path too: it may come back under that path only.
    const int row = m_ports.rowOfPort(portName);
    const QString listedPath =
        row > 0 ? m_ports.index(row).data(SerialPortListModel::SystemLocationRole).toString() : QString();
    const std::optional<QString> dropped = m_recent.remember(listedPath.isEmpty() ? portName : listedPath);
    m_ports.setRecentPaths(m_recent.paths());
    if (dropped) {
        m_ui->statusLabel->setText(
            m_ui->statusLabel->text() + QLatin1Char(' ') +
            tr("(The %1 most recent paths are kept; %2 was dropped.)").arg(RecentPortPaths::MaxPaths).arg(*dropped));
    }
}

void PortPanel::browse()
{
    auto *dialog = new QFileDialog(this, tr("Choose the module's device"), QStringLiteral("/dev"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    // Device nodes count as "system" files, which a file dialog leaves out by default.
    dialog->setFilter(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot);
    connect(dialog, &QFileDialog::fileSelected, this, &PortPanel::showPort);
    dialog->open(); // not exec(): the event loop, and the module's traffic, go on
}

void PortPanel::toggleOpen()
{
    if (m_controller.portState() != ModuleController::PortState::Closed) {
        m_controller.closePort();
        return;
    }
    const QString port = selectedPort();
    if (port.isEmpty()) {
        m_ui->statusLabel->setText(tr("Choose a port first."));
        return;
    }
    openPort(port, m_ui->baudCombo->currentData().toInt());
}

void PortPanel::findModule()
{
    QStringList candidates;
    for (int row = 0; row < m_ports.rowCount(); ++row) {
        const QModelIndex index = m_ports.index(row);
        if (!index.data(SerialPortListModel::IsVirtualRole).toBool() &&
            !index.data(SerialPortListModel::BusyRole).toBool())
            candidates.append(index.data(SerialPortListModel::SystemLocationRole).toString());
    }
    // The recent paths (the list may not have read them yet) and a path typed in the box: pseudo-terminals
    // and bridges the system does not enumerate.
    QStringList extra = m_recent.paths();
    if (const QString typed = selectedPort(); typed.startsWith(QLatin1Char('/')))
        extra.prepend(typed);
    for (const QString &path : std::as_const(extra)) {
        if (!candidates.contains(path) && QFileInfo::exists(path))
            candidates.append(path);
    }
    if (candidates.isEmpty()) {
        m_ui->statusLabel->setText(
            tr("No free serial port or recent device path to ask. The built-in virtual module needs no search."));
        return;
    }
    m_ui->findButton->setEnabled(false);
    m_probedCount = candidates.size();
    m_probedBaud = m_ui->baudCombo->currentData().toInt();
    m_probe->start(candidates, m_ui->baudCombo->currentData().toInt());
}

void PortPanel::showPortState(ModuleController::PortState state, const QString &reason)
{
    const bool closed = state == ModuleController::PortState::Closed;
    m_ui->openButton->setText(closed ? tr("&Open") : tr("&Close"));
    m_ui->portCombo->setEnabled(closed);
    m_ui->browseButton->setEnabled(closed);
    m_ui->baudCombo->setEnabled(closed);
    const QString name = m_controller.portProvider() ? m_controller.portProvider()->displayName() : QString();
    switch (state) {
    case ModuleController::PortState::Closed:
        m_ui->statusLabel->setText(reason.isEmpty() ? tr("Closed.") : tr("Closed: %1").arg(reason));
        break;
    case ModuleController::PortState::Open:
        m_ui->statusLabel->setText(tr("Open: %1").arg(name));
        break;
    case ModuleController::PortState::Lost:
        m_ui->statusLabel->setText(tr("Lost: %1 — waiting for it to come back.").arg(reason));
        break;
    }
}

void PortPanel::showIdentity()
{
    const ModuleInfo &info = m_controller.info();
    m_ui->modelValue->setText(QString::fromUtf8(info.model));
    m_ui->revisionValue->setText(QString::fromUtf8(info.revision));
    m_ui->imeiValue->setText(QString::fromUtf8(info.imei));
    m_ui->iccidValue->setText(QString::fromUtf8(info.iccid));
}

} // namespace qmt

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>Access</name>
    <message>
        <source>viewer</source>
        <translation>người xem</translation>
    </message>
    <message>
        <source>operator</source>
        <translation>điều hành viên</translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation>giám sát viên</translation>
    </message>
    <message>
        <source>administrator</source>
        <translation>quản trị viên</translation>
    </message>
    <message>
        <source>logged in</source>
        <translation>đăng nhập</translation>
    </message>
    <message>
        <source>logged out</source>
        <translation>đăng xuất</translation>
    </message>
    <message>
        <source>took over the shift</source>
        <translation>nhận bàn giao ca</translation>
    </message>
    <message>
        <source>screen locked</source>
        <translation>khóa màn hình</translation>
    </message>
    <message>
        <source>log-in failed</source>
        <translation>đăng nhập sai</translation>
    </message>
    <message>
        <source>log-in refused</source>
        <translation>từ chối đăng nhập</translation>
    </message>
    <message>
        <source>changed password</source>
        <translation>đổi mật khẩu</translation>
    </message>
    <message>
        <source>acknowledged alarm</source>
        <translation>xác nhận cảnh báo</translation>
    </message>
    <message>
        <source>shelved alarm</source>
        <translation>tạm gác cảnh báo</translation>
    </message>
    <message>
        <source>unshelved alarm</source>
        <translation>bỏ tạm gác cảnh báo</translation>
    </message>
    <message>
        <source>took alarm out of service</source>
        <translation>ngừng giám sát cảnh báo</translation>
    </message>
    <message>
        <source>returned alarm to service</source>
        <translation>giám sát lại cảnh báo</translation>
    </message>
    <message>
        <source>added account</source>
        <translation>thêm tài khoản</translation>
    </message>
    <message>
        <source>reset password</source>
        <translation>cấp lại mật khẩu</translation>
    </message>
    <message>
        <source>disabled account</source>
        <translation>vô hiệu hóa tài khoản</translation>
    </message>
    <message>
        <source>enabled account</source>
        <translation>kích hoạt lại tài khoản</translation>
    </message>
    <message>
        <source>loaded site configuration</source>
        <translation>nạp cấu hình trạm</translation>
    </message>
    <message>
        <source>opened incident</source>
        <translation>mở sự cố</translation>
    </message>
    <message>
        <source>closed incident</source>
        <translation>đóng sự cố</translation>
    </message>
    <message>
        <source>escalated to the city</source>
        <translation>báo cáo lên thành phố</translation>
    </message>
    <message>
        <source>sent an update to the city</source>
        <translation>gửi cập nhật lên thành phố</translation>
    </message>
    <message>
        <source>cancelled the escalation to the city</source>
        <translation>hủy báo cáo lên thành phố</translation>
    </message>
    <message>
        <source>Log-ins and shifts</source>
        <translation>Đăng nhập và ca trực</translation>
    </message>
    <message>
        <source>Alarm commands</source>
        <translation>Thao tác cảnh báo</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>Tài khoản</translation>
    </message>
    <message>
        <source>Configuration</source>
        <translation>Cấu hình</translation>
    </message>
    <message>
        <source>locked</source>
        <translation>đã khóa</translation>
    </message>
    <message>
        <source>on duty</source>
        <translation>đang trực</translation>
    </message>
    <message>
        <source>enabled</source>
        <translation>đang hoạt động</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>vô hiệu hóa</translation>
    </message>
    <message>
        <source>must change password</source>
        <translation>phải đổi mật khẩu</translation>
    </message>
    <message>
        <source>no activity</source>
        <translation>không có thao tác</translation>
    </message>
    <message>
        <source>locked by the person on duty</source>
        <translation>người trực tự khóa</translation>
    </message>
    <message>
        <source>wrong password</source>
        <translation>sai mật khẩu</translation>
    </message>
    <message>
        <source>no such account</source>
        <translation>không có tài khoản này</translation>
    </message>
    <message>
        <source>account disabled</source>
        <translation>tài khoản bị vô hiệu hóa</translation>
    </message>
    <message>
        <source>account waiting after failed log-ins</source>
        <translation>tài khoản đang chờ sau nhiều lần đăng nhập sai</translation>
    </message>
    <message>
        <source>first administrator</source>
        <translation>quản trị viên đầu tiên</translation>
    </message>
    <message>
        <source>console started</source>
        <translation>khởi động bàn điều khiển</translation>
    </message>
    <message>
        <source>waiting until %1</source>
        <translation>chờ đến %1</translation>
    </message>
    <message>
        <source>%1 (OS account, not logged in)</source>
        <translation>%1 (tài khoản hệ điều hành, không đăng nhập)</translation>
    </message>
    <message>
        <source>Refused: nobody is logged in. Log in first.</source>
        <translation>Bị từ chối: chưa có ai đăng nhập. Hãy đăng nhập trước.</translation>
    </message>
    <message>
        <source>Refused: the screen is locked. Log in to continue.</source>
        <translation>Bị từ chối: màn hình đang khóa. Đăng nhập để tiếp tục.</translation>
    </message>
    <message>
        <source>Refused: you are no longer on duty at this workstation.</source>
        <translation>Bị từ chối: bạn không còn trực tại máy này.</translation>
    </message>
    <message>
        <source>Refused: your role (%1) may not %2.</source>
        <translation>Bị từ chối: vai trò của bạn (%1) không được %2.</translation>
    </message>
    <message>
        <source>Wrong user id or password.</source>
        <translation>Sai tên đăng nhập hoặc mật khẩu.</translation>
    </message>
    <message>
        <source>This account is disabled: ask an administrator.</source>
        <translation>Tài khoản này đã bị vô hiệu hóa: hãy liên hệ quản trị viên.</translation>
    </message>
    <message>
        <source>Too many failed log-ins: this account can try again at %1.</source>
        <translation>Đăng nhập sai quá nhiều lần: tài khoản này có thể thử lại lúc %1.</translation>
    </message>
    <message>
        <source>One-time password: choose a new one, type it twice and log in.</source>
        <translation>Mật khẩu dùng một lần: hãy đặt mật khẩu mới, nhập hai lần rồi đăng nhập.</translation>
    </message>
    <message>
        <source>The new password needs at least 10 characters, must differ from the old one and must not be built on the user id.</source>
        <translation>Mật khẩu mới cần ít nhất 10 ký tự, khác mật khẩu cũ và không dựa trên tên đăng nhập.</translation>
    </message>
    <message>
        <source>A password needs at least 10 characters and must not be built on the user id.</source>
        <translation>Mật khẩu cần ít nhất 10 ký tự và không dựa trên tên đăng nhập.</translation>
    </message>
    <message>
        <source>Accounts exist already: log in.</source>
        <translation>Đã có tài khoản: hãy đăng nhập.</translation>
    </message>
    <message>
        <source>An account with this user id exists already.</source>
        <translation>Đã có tài khoản với tên đăng nhập này.</translation>
    </message>
    <message>
        <source>There is no such account.</source>
        <translation>Không có tài khoản này.</translation>
    </message>
    <message>
        <source>A user id has 1-64 characters from a-z 0-9 . _ - (lower case).</source>
        <translation>Tên đăng nhập gồm 1-64 ký tự a-z 0-9 . _ - (chữ thường).</translation>
    </message>
    <message>
        <source>Choose at least one role.</source>
        <translation>Hãy chọn ít nhất một vai trò.</translation>
    </message>
    <message>
        <source>A full name is needed.</source>
        <translation>Cần nhập họ và tên.</translation>
    </message>
    <message>
        <source>This is the last administrator: add another one first.</source>
        <translation>Đây là quản trị viên cuối cùng: hãy thêm một quản trị viên khác trước.</translation>
    </message>
    <message>
        <source>Nothing to change.</source>
        <translation>Không có gì thay đổi.</translation>
    </message>
    <message>
        <source>view the console</source>
        <translation>xem bàn điều khiển</translation>
    </message>
    <message>
        <source>read the action log</source>
        <translation>đọc nhật ký thao tác</translation>
    </message>
    <message>
        <source>acknowledge alarms</source>
        <translation>xác nhận cảnh báo</translation>
    </message>
    <message>
        <source>shelve alarms</source>
        <translation>tạm gác cảnh báo</translation>
    </message>
    <message>
        <source>take alarms out of service</source>
        <translation>ngừng giám sát cảnh báo</translation>
    </message>
    <message>
        <source>open incidents</source>
        <translation>mở sự cố</translation>
    </message>
    <message>
        <source>close incidents</source>
        <translation>đóng sự cố</translation>
    </message>
    <message>
        <source>escalate to the city</source>
        <translation>báo cáo lên thành phố</translation>
    </message>
    <message>
        <source>manage accounts</source>
        <translation>quản lý tài khoản</translation>
    </message>
    <message>
        <source>edit the site configuration</source>
        <translation>sửa cấu hình trạm</translation>
    </message>
    <message>
        <source>read a directive of the city</source>
        <translation>đã đọc chỉ đạo của thành phố</translation>
    </message>
    <message>
        <source>did a directive of the city</source>
        <translation>đã thực hiện chỉ đạo của thành phố</translation>
    </message>
    <message>
        <source>imported a CAP warning</source>
        <translation>đã nhập cảnh báo CAP</translation>
    </message>
    <message>
        <source>City IOC</source>
        <translation>IOC thành phố</translation>
    </message>
    <message>
        <source>unread</source>
        <translation>chưa đọc</translation>
    </message>
    <message>
        <source>read</source>
        <translation>đã đọc</translation>
    </message>
    <message>
        <source>done</source>
        <translation>đã thực hiện</translation>
    </message>
    <message>
        <source>mark directives read or done</source>
        <translation>đánh dấu chỉ đạo đã đọc hoặc đã thực hiện</translation>
    </message>
    <message>
        <source>import warnings</source>
        <translation>nhập cảnh báo</translation>
    </message>
    <message>
        <source>changed incident status</source>
        <translation>đổi trạng thái sự cố</translation>
    </message>
    <message>
        <source>changed incident</source>
        <translation>sửa thông tin sự cố</translation>
    </message>
    <message>
        <source>noted on incident</source>
        <translation>ghi chú vào sự cố</translation>
    </message>
    <message>
        <source>linked to incident</source>
        <translation>liên kết vào sự cố</translation>
    </message>
    <message>
        <source>did procedure step</source>
        <translation>thực hiện bước quy trình</translation>
    </message>
    <message>
        <source>skipped procedure step</source>
        <translation>bỏ qua bước quy trình</translation>
    </message>
    <message>
        <source>prepared shift handover</source>
        <translation>lập báo cáo bàn giao ca</translation>
    </message>
    <message>
        <source>took over shift handover</source>
        <translation>nhận bàn giao ca</translation>
    </message>
    <message>
        <source>Incidents and handovers</source>
        <translation>Sự cố và bàn giao ca</translation>
    </message>
    <message>
        <source>work on incidents</source>
        <translation>xử lý sự cố</translation>
    </message>
    <message>
        <source>hand over the shift</source>
        <translation>bàn giao ca</translation>
    </message>
    <message>
        <source>IOC viewer</source>
        <translation>người xem IOC</translation>
    </message>
    <message>
        <source>IOC operator</source>
        <translation>điều hành viên IOC</translation>
    </message>
    <message>
        <source>IOC supervisor</source>
        <translation>giám sát viên IOC</translation>
    </message>
    <message>
        <source>send directives to the sites</source>
        <translation>gửi chỉ đạo xuống các trung tâm</translation>
    </message>
    <message>
        <source>send city warnings</source>
        <translation>gửi cảnh báo của thành phố</translation>
    </message>
    <message>
        <source>take and acknowledge escalations</source>
        <translation>nhận và xác nhận chuyển cấp</translation>
    </message>
    <message>
        <source>assign escalations to agencies</source>
        <translation>giao chuyển cấp cho cơ quan xử lý</translation>
    </message>
</context>
<context>
    <name>ActionLogModel</name>
    <message>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Người thực hiện</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>Vai trò</translation>
    </message>
    <message>
        <source>Workstation</source>
        <translation>Máy trạm</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Thao tác</translation>
    </message>
    <message>
        <source>Object</source>
        <translation>Đối tượng</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Thay đổi</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>Số</translation>
    </message>
</context>
<context>
    <name>ActionLogPanel</name>
    <message>
        <source>Search the action log: user, name, alarm, note, workstation</source>
        <translation>Tìm trong nhật ký thao tác: tên đăng nhập, họ tên, cảnh báo, ghi chú, máy trạm</translation>
    </message>
    <message>
        <source>All actions</source>
        <translation>Mọi thao tác</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>1 giờ qua</translation>
    </message>
    <message>
        <source>Last 24 h</source>
        <translation>24 giờ qua</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>7 ngày qua</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Tất cả</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Tìm</translation>
    </message>
    <message>
        <source>Check the chain</source>
        <translation>Kiểm tra chuỗi băm</translation>
    </message>
    <message>
        <source>Recompute every entry&apos;s SHA-256 and its link to the previous one</source>
        <translation>Tính lại SHA-256 của từng mục và liên kết của nó với mục trước</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Đang tải…</translation>
    </message>
    <message>
        <source>The action log could not be read: %1</source>
        <translation>Không đọc được nhật ký thao tác: %1</translation>
    </message>
    <message>
        <source>%1 entries</source>
        <translation>%1 mục</translation>
    </message>
    <message>
        <source>Chain intact: %1 entries, head no. %2, SHA-256 %3…</source>
        <translation>Chuỗi nguyên vẹn: %1 mục, mục cuối số %2, SHA-256 %3…</translation>
    </message>
    <message>
        <source>changed after it was written</source>
        <translation>bị sửa sau khi ghi</translation>
    </message>
    <message>
        <source>an entry before it is missing</source>
        <translation>thiếu một mục trước nó</translation>
    </message>
    <message>
        <source>does not link to the entry before it</source>
        <translation>không nối với mục trước nó</translation>
    </message>
    <message>
        <source>numbered out of order</source>
        <translation>đánh số sai thứ tự</translation>
    </message>
    <message>
        <source>entries sent to the city are missing from the end</source>
        <translation>thiếu các mục cuối đã gửi lên thành phố</translation>
    </message>
    <message>
        <source>differs from the copy sent to the city</source>
        <translation>khác bản đã gửi lên thành phố</translation>
    </message>
    <message>
        <source>Chain BROKEN: first bad entry no. %1 — %2 (%3 problems).</source>
        <translation>Chuỗi BỊ HỎNG: mục sai đầu tiên số %1 — %2 (%3 vấn đề).</translation>
    </message>
</context>
<context>
    <name>Alarm</name>
    <message>
        <source>low</source>
        <translation>thấp</translation>
    </message>
    <message>
        <source>medium</source>
        <translation>trung bình</translation>
    </message>
    <message>
        <source>high</source>
        <translation>cao</translation>
    </message>
    <message>
        <source>active, unacknowledged</source>
        <translation>đang xảy ra, chưa xác nhận</translation>
    </message>
    <message>
        <source>active, acknowledged</source>
        <translation>đang xảy ra, đã xác nhận</translation>
    </message>
    <message>
        <source>cleared, unacknowledged</source>
        <translation>đã hết, chưa xác nhận</translation>
    </message>
    <message>
        <source>shelved</source>
        <translation>tạm gác</translation>
    </message>
    <message>
        <source>out of service</source>
        <translation>ngừng giám sát</translation>
    </message>
    <message>
        <source>normal</source>
        <translation>bình thường</translation>
    </message>
    <message>
        <source>high level</source>
        <translation>mức cao</translation>
    </message>
    <message>
        <source>low level</source>
        <translation>mức thấp</translation>
    </message>
    <message>
        <source>rising fast</source>
        <translation>tăng nhanh</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>mất tín hiệu</translation>
    </message>
    <message>
        <source>stuck value</source>
        <translation>giá trị đứng yên</translation>
    </message>
    <message>
        <source>no IOC acknowledgement</source>
        <translation>IOC chưa xác nhận</translation>
    </message>
    <message>
        <source>activated</source>
        <translation>bắt đầu</translation>
    </message>
    <message>
        <source>cleared</source>
        <translation>kết thúc</translation>
    </message>
    <message>
        <source>severity changed</source>
        <translation>đổi mức độ</translation>
    </message>
    <message>
        <source>acknowledged</source>
        <translation>xác nhận</translation>
    </message>
    <message>
        <source>unshelved</source>
        <translation>bỏ tạm gác</translation>
    </message>
    <message>
        <source>back in service</source>
        <translation>giám sát lại</translation>
    </message>
    <message>
        <source>shelving expired</source>
        <translation>hết thời hạn tạm gác</translation>
    </message>
    <message>
        <source>free %1 of %2</source>
        <translation>còn trống %1 trên %2</translation>
    </message>
    <message>
        <source>log %1</source>
        <translation>nhật ký %1</translation>
    </message>
    <message>
        <source>cannot commit: %1</source>
        <translation>không ghi được: %1</translation>
    </message>
    <message>
        <source>%1 readings not stored</source>
        <translation>%1 số đo không được lưu</translation>
    </message>
    <message>
        <source>until %1</source>
        <translation>đến %1</translation>
    </message>
    <message>
        <source>procedure step overdue</source>
        <translation>quá hạn bước quy trình</translation>
    </message>
    <message>
        <source>log disk space</source>
        <translation>dung lượng đĩa nhật ký</translation>
    </message>
    <message>
        <source>System</source>
        <translation>Hệ thống</translation>
    </message>
</context>
<context>
    <name>AlarmBanner</name>
    <message>
        <source>Silence (Ctrl+M)</source>
        <translation>Tắt chuông (Ctrl+M)</translation>
    </message>
    <message>
        <source>unacknowledged: %1</source>
        <translation>chưa xác nhận: %1</translation>
    </message>
    <message>
        <source>No unacknowledged alarms</source>
        <translation>Không có cảnh báo chưa xác nhận</translation>
    </message>
    <message>
        <source>%1 new alarms (%2 in %3): %4</source>
        <translation>%1 cảnh báo mới (%2 ở %3): %4</translation>
    </message>
</context>
<context>
    <name>AlarmPanel</name>
    <message>
        <source>Note (optional)</source>
        <translation>Ghi chú (không bắt buộc)</translation>
    </message>
    <message>
        <source>Acknowledge (Ctrl+K)</source>
        <translation>Xác nhận (Ctrl+K)</translation>
    </message>
    <message>
        <source>Acknowledge all (Ctrl+Shift+K)</source>
        <translation>Xác nhận tất cả (Ctrl+Shift+K)</translation>
    </message>
    <message>
        <source>Shelve</source>
        <translation>Tạm gác</translation>
    </message>
    <message>
        <source>Unshelve</source>
        <translation>Bỏ tạm gác</translation>
    </message>
    <message>
        <source>Out of service</source>
        <translation>Ngừng giám sát</translation>
    </message>
    <message>
        <source>Return to service</source>
        <translation>Giám sát lại</translation>
    </message>
    <message>
        <source>Search the journal: feed id, user, note, event</source>
        <translation>Tìm trong nhật ký: mã nguồn, người dùng, ghi chú, sự kiện</translation>
    </message>
    <message>
        <source>All severities</source>
        <translation>Mọi mức độ</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>1 giờ qua</translation>
    </message>
    <message>
        <source>Last 24 h</source>
        <translation>24 giờ qua</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>7 ngày qua</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Tất cả</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Tìm</translation>
    </message>
    <message>
        <source>Current alarms</source>
        <translation>Cảnh báo hiện tại</translation>
    </message>
    <message>
        <source>Journal</source>
        <translation>Nhật ký cảnh báo</translation>
    </message>
    <message>
        <source>Select alarms first.</source>
        <translation>Hãy chọn cảnh báo trước.</translation>
    </message>
    <message>
        <source>Acknowledged %1 of %2 selected.</source>
        <translation>Đã xác nhận %1 trên %2 cảnh báo đã chọn.</translation>
    </message>
    <message>
        <source>Shelving needs a reason.</source>
        <translation>Tạm gác cần có lý do.</translation>
    </message>
    <message>
        <source>Taking an alarm out of service needs a reason.</source>
        <translation>Ngừng giám sát cần có lý do.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Đang tải…</translation>
    </message>
    <message>
        <source>The journal could not be read; the rows shown are from before</source>
        <translation>Không đọc được nhật ký; các dòng đang hiện là của lần trước</translation>
    </message>
    <message>
        <source>%1 entries</source>
        <translation>%1 mục</translation>
    </message>
    <message>
        <source>Reason (required to shelve or take out of service)</source>
        <translation>Lý do (bắt buộc khi tạm gác hoặc ngừng giám sát)</translation>
    </message>
    <message>
        <source>How long the shelf lasts</source>
        <translation>Thời gian tạm gác</translation>
    </message>
    <message>
        <source>Nothing to acknowledge: no alarm waits for it.</source>
        <translation>Không có gì để xác nhận: không cảnh báo nào đang chờ.</translation>
    </message>
    <message>
        <source>Acknowledged %1: %2</source>
        <translation>Đã xác nhận %1: %2</translation>
    </message>
    <message>
        <source>Open incident… (Ctrl+I)</source>
        <translation>Mở sự cố… (Ctrl+I)</translation>
    </message>
    <message>
        <source>An incident from the selected alarms, or link them to an open one</source>
        <translation>Mở sự cố từ các cảnh báo đang chọn, hoặc liên kết vào sự cố đang mở</translation>
    </message>
</context>
<context>
    <name>AlarmTableModel</name>
    <message>
        <source>Severity</source>
        <translation>Mức độ</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>Từ lúc</translation>
    </message>
    <message>
        <source>Feed</source>
        <translation>Nguồn dữ liệu</translation>
    </message>
    <message>
        <source>Area</source>
        <translation>Khu vực</translation>
    </message>
    <message>
        <source>Alarm</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <source>Acknowledged by</source>
        <translation>Người xác nhận</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>Hiện tại</translation>
    </message>
    <message>
        <source>At change</source>
        <translation>Lúc chuyển</translation>
    </message>
</context>
<context>
    <name>Annunciator</name>
    <message>
        <source>no audio output device</source>
        <translation>không có thiết bị phát âm thanh</translation>
    </message>
    <message>
        <source>the audio library %1 is missing (Debian/Ubuntu: libpulse0)</source>
        <translation>thiếu thư viện âm thanh %1 (Debian/Ubuntu: libpulse0)</translation>
    </message>
</context>
<context>
    <name>ChecklistModel</name>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Bước</translation>
    </message>
    <message>
        <source>Time limit</source>
        <translation>Thời hạn</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Vai trò</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Người thực hiện</translation>
    </message>
    <message>
        <source>Note or reason</source>
        <translation>Ghi chú hoặc lý do</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>không bắt buộc</translation>
    </message>
</context>
<context>
    <name>CityStripBar</name>
    <message>
        <source>sites</source>
        <translation>trạm</translation>
    </message>
    <message>
        <source>silent</source>
        <translation>im lặng</translation>
    </message>
    <message>
        <source>Sites not heard for three of their status periods: the IOC is blind there.</source>
        <translation>Trạm không liên lạc trong ba chu kỳ báo trạng thái: trung tâm không nắm được tình hình ở đó.</translation>
    </message>
    <message>
        <source>never reported</source>
        <translation>chưa từng báo cáo</translation>
    </message>
    <message>
        <source>unacknowledged alarms</source>
        <translation>cảnh báo chưa xác nhận</translation>
    </message>
    <message>
        <source>active alarms: high · medium · low</source>
        <translation>cảnh báo đang xảy ra: cao · trung bình · thấp</translation>
    </message>
    <message>
        <source>open escalations</source>
        <translation>chuyển cấp đang mở</translation>
    </message>
    <message>
        <source>updated</source>
        <translation>cập nhật</translation>
    </message>
    <message>
        <source>NOT UPDATING</source>
        <translation>KHÔNG CẬP NHẬT</translation>
    </message>
    <message>
        <source>Escalations the IOC has not acknowledged yet; in brackets, those nobody has taken. They are on the Escalations page.</source>
        <translation>Các chuyển cấp IOC chưa xác nhận; trong ngoặc: số chưa ai nhận xử lý. Xem ở trang Chuyển cấp.</translation>
    </message>
    <message>
        <source>%1 (%2 new)</source>
        <translation>%1 (%2 mới)</translation>
    </message>
</context>
<context>
    <name>DirectiveModel</name>
    <message>
        <source>Priority</source>
        <translation>Mức ưu tiên</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>Thời gian gửi</translation>
    </message>
    <message>
        <source>Directive</source>
        <translation>Chỉ đạo</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Hạn</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Người gửi</translation>
    </message>
    <message>
        <source>urgent</source>
        <translation>khẩn</translation>
    </message>
    <message>
        <source>high</source>
        <translation>cao</translation>
    </message>
    <message>
        <source>normal</source>
        <translation>thường</translation>
    </message>
    <message>
        <source>done by %1</source>
        <translation>%1 đã thực hiện</translation>
    </message>
    <message>
        <source>unread</source>
        <translation>chưa đọc</translation>
    </message>
    <message>
        <source>read by %1</source>
        <translation>%1 đã đọc</translation>
    </message>
    <message>
        <source>OVERDUE</source>
        <translation>QUÁ HẠN</translation>
    </message>
    <message>
        <source>Answers escalation %1</source>
        <translation>Trả lời báo cáo lên %1</translation>
    </message>
    <message>
        <source>Note: %1</source>
        <translation>Ghi chú: %1</translation>
    </message>
</context>
<context>
    <name>DirectivesPage</name>
    <message>
        <source>All sites</source>
        <translation>Tất cả các trạm</translation>
    </message>
    <message>
        <source>optional: the escalation answered (CAP identifier)</source>
        <translation>không bắt buộc: báo cáo vượt cấp được trả lời (mã CAP)</translation>
    </message>
    <message>
        <source>What the sites are asked to do (Vietnamese or English), e.g. Kiểm tra trạm bơm</source>
        <translation>Các trạm cần làm gì (tiếng Việt hoặc tiếng Anh), ví dụ: Kiểm tra trạm bơm</translation>
    </message>
    <message>
        <source>Send directive</source>
        <translation>Gửi chỉ đạo</translation>
    </message>
    <message>
        <source>New directive</source>
        <translation>Chỉ đạo mới</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Gửi tới</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Mức ưu tiên</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Hạn</translation>
    </message>
    <message>
        <source>Escalation</source>
        <translation>Báo cáo vượt cấp</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Gửi lúc</translation>
    </message>
    <message>
        <source>Directive</source>
        <translation>Chỉ đạo</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>Trạm</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Read by</source>
        <translation>Người đọc</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Đã làm</translation>
    </message>
    <message>
        <source>Delivery board: per site, queued → delivered → read → done</source>
        <translation>Bảng theo dõi: từng trạm, đang chờ gửi → đã nhận → đã đọc → đã làm</translation>
    </message>
    <message>
        <source>Cannot read the board (retrying): %1</source>
        <translation>Không đọc được bảng theo dõi (đang thử lại): %1</translation>
    </message>
    <message>
        <source>No console is allowed in the hub&apos;s registry: there is no site to send to.</source>
        <translation>Danh sách của hub chưa cho phép bảng điều khiển nào: không có trạm để gửi tới.</translation>
    </message>
    <message>
        <source>%1 directives · %2 queued · %3 delivered · %4 read · %5 done</source>
        <translation>%1 chỉ đạo · %2 đang chờ gửi · %3 đã nhận · %4 đã đọc · %5 đã làm</translation>
    </message>
    <message>
        <source>Choose at least one site, or all sites.</source>
        <translation>Chọn ít nhất một trạm, hoặc tất cả các trạm.</translation>
    </message>
    <message>
        <source>Write what the sites are asked to do.</source>
        <translation>Hãy ghi các trạm cần làm gì.</translation>
    </message>
    <message>
        <source>The text is too long: at most %1 characters.</source>
        <translation>Nội dung quá dài: tối đa %1 ký tự.</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Đang gửi…</translation>
    </message>
    <message>
        <source>Directive %1 queued for %2; the hub delivers it.</source>
        <translation>Chỉ đạo %1 đã xếp hàng gửi tới %2; hub sẽ chuyển đi.</translation>
    </message>
    <message>
        <source>Not sent: %1</source>
        <translation>Chưa gửi: %1</translation>
    </message>
    <message>
        <source>Answering escalation %1: write the directive and send it.</source>
        <translation>Trả lời chuyển cấp %1: viết nội dung chỉ đạo rồi gửi.</translation>
    </message>
</context>
<context>
    <name>DirectivesPanel</name>
    <message>
        <source>Note when done (what was done, by whom)</source>
        <translation>Ghi chú khi thực hiện xong (đã làm gì, ai làm)</translation>
    </message>
    <message>
        <source>Mark read</source>
        <translation>Đánh dấu đã đọc</translation>
    </message>
    <message>
        <source>Mark done</source>
        <translation>Đánh dấu đã thực hiện</translation>
    </message>
    <message>
        <source>Select a directive first.</source>
        <translation>Hãy chọn một chỉ đạo trước.</translation>
    </message>
    <message>
        <source>Marked done: %1</source>
        <translation>Đã đánh dấu thực hiện: %1</translation>
    </message>
    <message>
        <source>Marked read: %1</source>
        <translation>Đã đánh dấu đọc: %1</translation>
    </message>
    <message>
        <source>Already marked: %1</source>
        <translation>Đã được đánh dấu: %1</translation>
    </message>
    <message>
        <source>This directive is not at this console.</source>
        <translation>Chỉ đạo này không có ở máy trạm này.</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>Chưa lưu được: %1</translation>
    </message>
</context>
<context>
    <name>DutyBar</name>
    <message>
        <source>Lock (Ctrl+L)</source>
        <translation>Khóa (Ctrl+L)</translation>
    </message>
    <message>
        <source>Hand over…</source>
        <translation>Bàn giao ca…</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>Đăng xuất</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>User id</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>Mật khẩu mới</translation>
    </message>
    <message>
        <source>Repeat new password</source>
        <translation>Nhập lại mật khẩu mới</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Đăng nhập</translation>
    </message>
    <message>
        <source>Nobody is on duty: log in to act. Alarms and feeds keep running.</source>
        <translation>Chưa có người trực: đăng nhập để thao tác. Cảnh báo và dữ liệu vẫn chạy.</translation>
    </message>
    <message>
        <source>Screen locked (%1) — %2 is on duty. Log in to continue, or take over.</source>
        <translation>Màn hình đã khóa (%1) — %2 đang trực. Đăng nhập để tiếp tục, hoặc nhận ca.</translation>
    </message>
    <message>
        <source>no activity</source>
        <translation>không có thao tác</translation>
    </message>
    <message>
        <source>locked by hand</source>
        <translation>khóa thủ công</translation>
    </message>
    <message>
        <source>Acting as %1 (OS account, not logged in) — %2</source>
        <translation>Đang thao tác bằng %1 (tài khoản hệ điều hành, không đăng nhập) — %2</translation>
    </message>
    <message>
        <source>On duty: %1 (%2) — %3 — since %4</source>
        <translation>Đang trực: %1 (%2) — %3 — từ %4</translation>
    </message>
    <message>
        <source>Create administrator</source>
        <translation>Tạo quản trị viên</translation>
    </message>
    <message>
        <source>First start: no accounts yet. Create the first administrator.</source>
        <translation>Lần chạy đầu: chưa có tài khoản. Hãy tạo quản trị viên đầu tiên.</translation>
    </message>
    <message>
        <source>Take over</source>
        <translation>Nhận ca</translation>
    </message>
    <message>
        <source>The log-in could not be recorded: see the log.</source>
        <translation>Không ghi được lần đăng nhập: xem nhật ký hệ thống.</translation>
    </message>
    <message>
        <source>Type your user id.</source>
        <translation>Hãy nhập tên đăng nhập.</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>Hai mật khẩu không khớp.</translation>
    </message>
    <message>
        <source>The two new passwords differ.</source>
        <translation>Hai mật khẩu mới không khớp.</translation>
    </message>
    <message>
        <source>— the next person logs in here to take over</source>
        <translation>— người nhận ca đăng nhập tại đây</translation>
    </message>
</context>
<context>
    <name>Escalation</name>
    <message>
        <source>Escalation</source>
        <translation>Chuyển lên</translation>
    </message>
    <message>
        <source>Update</source>
        <translation>Cập nhật</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>City: %1 %2</source>
        <translation>Thành phố: %1 %2</translation>
    </message>
    <message>
        <source>(exercise)</source>
        <translation>(diễn tập)</translation>
    </message>
    <message>
        <source>IOC received at %1, acknowledged by %2 at %3</source>
        <translation>IOC nhận lúc %1, %2 xác nhận lúc %3</translation>
    </message>
    <message>
        <source>delivered to the hub at %1; waiting for the IOC</source>
        <translation>đã đến hub lúc %1; chờ IOC xác nhận</translation>
    </message>
    <message>
        <source>queued for the hub since %1</source>
        <translation>đang chờ gửi lên hub từ %1</translation>
    </message>
    <message>
        <source>not acknowledged in time: phone the IOC duty officer %1</source>
        <translation>chưa được xác nhận kịp thời: gọi trực ban IOC %1</translation>
    </message>
</context>
<context>
    <name>EscalationDialog</name>
    <message>
        <source>Escalate %1 to the city</source>
        <translation>Chuyển %1 lên thành phố</translation>
    </message>
    <message>
        <source>Update (what changed)</source>
        <translation>Cập nhật (điều gì thay đổi)</translation>
    </message>
    <message>
        <source>Cancel the escalation</source>
        <translation>Hủy yêu cầu chuyển lên</translation>
    </message>
    <message>
        <source>Escalate (new alert)</source>
        <translation>Chuyển lên (cảnh báo mới)</translation>
    </message>
    <message>
        <source>Actual</source>
        <translation>Thật</translation>
    </message>
    <message>
        <source>Exercise (training, demo)</source>
        <translation>Diễn tập (huấn luyện, trình diễn)</translation>
    </message>
    <message>
        <source>(the procedure says nothing: write it below)</source>
        <translation>(quy trình không ghi: hãy viết bên dưới)</translation>
    </message>
    <message>
        <source>What you ask of the city and why; what changed; why it is withdrawn</source>
        <translation>Đề nghị thành phố điều gì và vì sao; điều gì thay đổi; vì sao rút lại</translation>
    </message>
    <message>
        <source>Lives at risk</source>
        <translation>Có nguy hiểm đến tính mạng</translation>
    </message>
    <message>
        <source>Public (the city may inform residents)</source>
        <translation>Công khai (thành phố có thể thông báo cho người dân)</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Gửi</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>The procedure asks</source>
        <translation>Quy trình đề nghị</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <source>Send to the city</source>
        <translation>Gửi lên thành phố</translation>
    </message>
    <message>
        <source>Say why: the reason goes to the city with the alert.</source>
        <translation>Hãy nêu lý do: lý do được gửi lên thành phố cùng cảnh báo.</translation>
    </message>
</context>
<context>
    <name>EscalationInbox</name>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>Trạm</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Sự kiện</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Mức độ</translation>
    </message>
    <message>
        <source>Headline</source>
        <translation>Tiêu đề</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Nhận lúc</translation>
    </message>
    <message>
        <source>Handled by</source>
        <translation>Người xử lý</translation>
    </message>
    <message>
        <source>Agency</source>
        <translation>Cơ quan</translation>
    </message>
    <message>
        <source>No escalation sound on this workstation: %1</source>
        <translation>Máy này không phát âm báo chuyển cấp: %1</translation>
    </message>
    <message>
        <source>Choose an escalation in the list.</source>
        <translation>Chọn một chuyển cấp trong danh sách.</translation>
    </message>
    <message>
        <source>Take</source>
        <translation>Nhận xử lý</translation>
    </message>
    <message>
        <source>You handle this escalation from now (others see it).</source>
        <translation>Bạn xử lý chuyển cấp này từ bây giờ (người khác đều thấy).</translation>
    </message>
    <message>
        <source>Assign</source>
        <translation>Giao</translation>
    </message>
    <message>
        <source>no agencies in the hub file</source>
        <translation>tệp cấu hình hub chưa có cơ quan nào</translation>
    </message>
    <message>
        <source>Add an [agencies] table to the hub file to assign escalations.</source>
        <translation>Thêm bảng [agencies] vào tệp cấu hình hub để giao chuyển cấp.</translation>
    </message>
    <message>
        <source>Note for the district (sent with the acknowledgement)</source>
        <translation>Ghi chú cho quận (gửi kèm xác nhận)</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>Xác nhận</translation>
    </message>
    <message>
        <source>Reply with a directive…</source>
        <translation>Trả lời bằng chỉ đạo…</translation>
    </message>
    <message>
        <source>Cannot read the escalations (retrying): %1</source>
        <translation>Không đọc được các chuyển cấp (đang thử lại): %1</translation>
    </message>
    <message>
        <source>Escalations: %1 · new %2 · being handled %3 · acknowledged %4</source>
        <translation>Chuyển cấp: %1 · mới %2 · đang xử lý %3 · đã xác nhận %4</translation>
    </message>
    <message>
        <source>No escalation has reached the hub.</source>
        <translation>Chưa có chuyển cấp nào đến hub.</translation>
    </message>
    <message>
        <source>New escalations nobody has taken: %1 — newest: %2, %3</source>
        <translation>Chuyển cấp mới chưa ai nhận xử lý: %1 — mới nhất: %2, %3</translation>
    </message>
    <message>
        <source>The message cannot be read again: %1</source>
        <translation>Không đọc lại được bản tin: %1</translation>
    </message>
    <message>
        <source>You are handling %1.</source>
        <translation>Bạn đang xử lý %1.</translation>
    </message>
    <message>
        <source>%1 assigned to %2.</source>
        <translation>Đã giao %1 cho %2.</translation>
    </message>
    <message>
        <source>%1 acknowledged; the acknowledgement goes down to the district.</source>
        <translation>Đã xác nhận %1; xác nhận được gửi xuống quận.</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Đang gửi…</translation>
    </message>
    <message>
        <source>Not done: %1</source>
        <translation>Chưa thực hiện được: %1</translation>
    </message>
</context>
<context>
    <name>EscalationModel</name>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Gửi lúc</translation>
    </message>
    <message>
        <source>Incident</source>
        <translation>Sự cố</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Nội dung</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Người gửi</translation>
    </message>
    <message>
        <source>City</source>
        <translation>Thành phố</translation>
    </message>
    <message>
        <source>acknowledged</source>
        <translation>IOC đã xác nhận</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>đã đến hub</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>đang chờ gửi</translation>
    </message>
    <message>
        <source>LATE</source>
        <translation>QUÁ HẠN</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>Chuyển lên</translation>
    </message>
    <message>
        <source>Update</source>
        <translation>Cập nhật</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>extreme</source>
        <translation>cực kỳ nghiêm trọng</translation>
    </message>
    <message>
        <source>severe</source>
        <translation>nghiêm trọng</translation>
    </message>
    <message>
        <source>moderate</source>
        <translation>trung bình</translation>
    </message>
    <message>
        <source>minor</source>
        <translation>nhẹ</translation>
    </message>
    <message>
        <source>exercise</source>
        <translation>diễn tập</translation>
    </message>
    <message>
        <source>acknowledged by %1 at %2</source>
        <translation>%1 xác nhận lúc %2</translation>
    </message>
    <message>
        <source>at the hub since %1</source>
        <translation>đã đến hub lúc %1; chờ IOC xác nhận</translation>
    </message>
    <message>
        <source>waiting for the link</source>
        <translation>chờ đường truyền lên thành phố</translation>
    </message>
    <message>
        <source>Refers to %1</source>
        <translation>Liên quan đến %1</translation>
    </message>
</context>
<context>
    <name>EscalationsPanel</name>
    <message>
        <source>This console has no city link: phone the IOC.</source>
        <translation>Bàn điều hành này không có đường truyền lên thành phố: hãy gọi điện cho IOC.</translation>
    </message>
    <message>
        <source>Nothing escalated yet (an incident&apos;s view: Escalate to the city…).</source>
        <translation>Chưa chuyển sự cố nào lên thành phố (trong xem sự cố: Chuyển lên thành phố…).</translation>
    </message>
    <message>
        <source>%1 message(s) not yet acknowledged by the IOC.</source>
        <translation>%1 tin chưa được IOC xác nhận.</translation>
    </message>
</context>
<context>
    <name>FeedBrowser</name>
    <message>
        <source>Search feeds by id or name (Ctrl+F)</source>
        <translation>Tìm nguồn theo mã hoặc tên (Ctrl+F)</translation>
    </message>
</context>
<context>
    <name>FeedKind</name>
    <message>
        <source>River level</source>
        <translation>Mực nước sông</translation>
    </message>
    <message>
        <source>Rainfall</source>
        <translation>Lượng mưa</translation>
    </message>
    <message>
        <source>Air quality (PM2.5)</source>
        <translation>Chất lượng không khí (PM2.5)</translation>
    </message>
    <message>
        <source>Traffic flow</source>
        <translation>Lưu lượng giao thông</translation>
    </message>
    <message>
        <source>Traffic speed</source>
        <translation>Tốc độ giao thông</translation>
    </message>
    <message>
        <source>CCTV events</source>
        <translation>Sự kiện camera</translation>
    </message>
</context>
<context>
    <name>FeedState</name>
    <message>
        <source>good</source>
        <translation>tốt</translation>
    </message>
    <message>
        <source>uncertain</source>
        <translation>không chắc chắn</translation>
    </message>
    <message>
        <source>bad</source>
        <translation>hỏng</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>mất tín hiệu</translation>
    </message>
    <message>
        <source>never reported</source>
        <translation>chưa có dữ liệu</translation>
    </message>
</context>
<context>
    <name>FeedTreeModel</name>
    <message>
        <source>Feed</source>
        <translation>Nguồn dữ liệu</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Giá trị</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Đơn vị</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>Cách đây</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>Mã</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
</context>
<context>
    <name>HandoverPage</name>
    <message>
        <source>None.</source>
        <translation>Không có.</translation>
    </message>
    <message>
        <source>Shift handover</source>
        <translation>Bàn giao ca</translation>
    </message>
    <message>
        <source>Shift from %1 to %2</source>
        <translation>Ca trực từ %1 đến %2</translation>
    </message>
    <message>
        <source>Prepared by %1 (%2) at %3</source>
        <translation>Lập bởi %1 (%2) tại máy %3</translation>
    </message>
    <message>
        <source>Generated from the site log by the command line</source>
        <translation>Lập từ nhật ký của trạm bằng dòng lệnh</translation>
    </message>
    <message>
        <source>OVERDUE since %1</source>
        <translation>QUÁ HẠN từ %1</translation>
    </message>
    <message>
        <source>due in %1</source>
        <translation>còn %1</translation>
    </message>
    <message>
        <source>(optional)</source>
        <translation>(không bắt buộc)</translation>
    </message>
    <message>
        <source>Incident</source>
        <translation>Sự cố</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Mức độ</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Tiêu đề</translation>
    </message>
    <message>
        <source>Ward</source>
        <translation>Phường</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Người phụ trách</translation>
    </message>
    <message>
        <source>Steps still to do</source>
        <translation>Các bước chưa làm</translation>
    </message>
    <message>
        <source>Incidents not closed</source>
        <translation>Sự cố chưa đóng</translation>
    </message>
    <message>
        <source>Incidents closed this shift</source>
        <translation>Sự cố đã đóng trong ca</translation>
    </message>
    <message>
        <source>Closed at</source>
        <translation>Đóng lúc</translation>
    </message>
    <message>
        <source>Active alarms</source>
        <translation>Cảnh báo đang hoạt động</translation>
    </message>
    <message>
        <source>Alarm</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>Từ lúc</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Giá trị</translation>
    </message>
    <message>
        <source>Shelved alarms</source>
        <translation>Cảnh báo đang tạm gác</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>Đến</translation>
    </message>
    <message>
        <source>Shelved by</source>
        <translation>Người tạm gác</translation>
    </message>
    <message>
        <source>Alarms out of service</source>
        <translation>Cảnh báo ngừng giám sát</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Người thực hiện</translation>
    </message>
    <message>
        <source>Sensors silent or reporting bad data</source>
        <translation>Cảm biến mất tín hiệu hoặc dữ liệu xấu</translation>
    </message>
    <message>
        <source>Sensor</source>
        <translation>Cảm biến</translation>
    </message>
    <message>
        <source>Last reading</source>
        <translation>Số liệu cuối</translation>
    </message>
    <message>
        <source>%1 ago</source>
        <translation>%1 trước</translation>
    </message>
    <message>
        <source>never</source>
        <translation>chưa bao giờ</translation>
    </message>
    <message>
        <source>City link</source>
        <translation>Kết nối với thành phố</translation>
    </message>
    <message>
        <source>Not configured: this console does not report to the city.</source>
        <translation>Chưa cấu hình: trạm này không gửi báo cáo lên thành phố.</translation>
    </message>
    <message>
        <source>online</source>
        <translation>đang kết nối</translation>
    </message>
    <message>
        <source>connecting</source>
        <translation>đang kết nối lại</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>mất kết nối</translation>
    </message>
    <message>
        <source>refused by the hub</source>
        <translation>bị máy chủ thành phố từ chối</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>đã dừng</translation>
    </message>
    <message>
        <source>unknown (the console is not running)</source>
        <translation>không rõ (trạm không chạy)</translation>
    </message>
    <message>
        <source>State: %1. Records not yet acknowledged by the city: %2.</source>
        <translation>Trạng thái: %1. Bản ghi thành phố chưa xác nhận: %2.</translation>
    </message>
    <message>
        <source>Notes for the next shift</source>
        <translation>Ghi chú cho ca sau</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Người ghi</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>Report SHA-256: %1</source>
        <translation>Mã SHA-256 của báo cáo: %1</translation>
    </message>
</context>
<context>
    <name>HandoverPanel</name>
    <message>
        <source>Prepare the handover of my shift</source>
        <translation>Lập báo cáo bàn giao ca của tôi</translation>
    </message>
    <message>
        <source>Stores the report, records it in the action log and writes its PDF</source>
        <translation>Lưu báo cáo, ghi vào nhật ký thao tác và xuất tệp PDF</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Xem trước</translation>
    </message>
    <message>
        <source>Note on taking over (optional)</source>
        <translation>Ghi chú khi nhận ca (không bắt buộc)</translation>
    </message>
    <message>
        <source>Take over this shift</source>
        <translation>Nhận bàn giao ca này</translation>
    </message>
    <message>
        <source>The handover failed: %1</source>
        <translation>Không bàn giao được: %1</translation>
    </message>
    <message>
        <source>No handover report yet.</source>
        <translation>Chưa có báo cáo bàn giao ca nào.</translation>
    </message>
    <message>
        <source>Report no. %1 by %2 at %3, taken over by %4 at %5.</source>
        <translation>Báo cáo số %1 do %2 lập lúc %3, %4 đã nhận lúc %5.</translation>
    </message>
    <message>
        <source>Report no. %1 by %2 at %3: not yet taken over.</source>
        <translation>Báo cáo số %1 do %2 lập lúc %3: chưa có người nhận.</translation>
    </message>
    <message>
        <source>PDF: %1</source>
        <translation>Tệp PDF: %1</translation>
    </message>
    <message>
        <source>Preview: not stored, not handed over.</source>
        <translation>Xem trước: chưa lưu, chưa bàn giao.</translation>
    </message>
    <message>
        <source>Preparing…</source>
        <translation>Đang lập báo cáo…</translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <source>Last hour</source>
        <translation>1 giờ qua</translation>
    </message>
    <message>
        <source>Last 24 h</source>
        <translation>24 giờ qua</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>7 ngày qua</translation>
    </message>
    <message>
        <source>Custom…</source>
        <translation>Tùy chọn…</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>Tải</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Xuất CSV…</translation>
    </message>
    <message>
        <source>Remove feed</source>
        <translation>Bỏ nguồn</translation>
    </message>
    <message>
        <source>Feeds (Ctrl+H adds the selected ones)</source>
        <translation>Nguồn dữ liệu (Ctrl+H để thêm nguồn đang chọn)</translation>
    </message>
    <message>
        <source>Add feeds first.</source>
        <translation>Hãy thêm nguồn dữ liệu trước.</translation>
    </message>
    <message>
        <source>The end must be after the start.</source>
        <translation>Thời điểm kết thúc phải sau thời điểm bắt đầu.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Đang tải…</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Lỗi: %1</translation>
    </message>
    <message>
        <source>min/max/mean per bucket</source>
        <translation>nhỏ nhất/lớn nhất/trung bình theo khoảng</translation>
    </message>
    <message>
        <source>raw readings</source>
        <translation>số đo gốc</translation>
    </message>
    <message>
        <source>%1 points, %2</source>
        <translation>%1 điểm, %2</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>Xuất CSV</translation>
    </message>
    <message>
        <source>Exported %1 rows to %2</source>
        <translation>Đã xuất %1 dòng ra %2</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>%v of %m feeds</source>
        <translation>%v/%m nguồn</translation>
    </message>
    <message>
        <source>(to now)</source>
        <translation>(đến bây giờ)</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Đã hủy.</translation>
    </message>
    <message>
        <source>%1 (min/max/mean)</source>
        <translation>%1 (nhỏ nhất/lớn nhất/trung bình)</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Tệp CSV (*.csv)</translation>
    </message>
</context>
<context>
    <name>Incident</name>
    <message>
        <source>in %1</source>
        <translation>còn %1</translation>
    </message>
    <message>
        <source>%1 overdue</source>
        <translation>quá hạn %1</translation>
    </message>
    <message>
        <source>new</source>
        <translation>mới</translation>
    </message>
    <message>
        <source>acknowledged</source>
        <translation>đã tiếp nhận</translation>
    </message>
    <message>
        <source>in progress</source>
        <translation>đang xử lý</translation>
    </message>
    <message>
        <source>escalated</source>
        <translation>đã chuyển lên thành phố</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>đã xử lý xong</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>đã đóng</translation>
    </message>
    <message>
        <source>to do</source>
        <translation>chưa làm</translation>
    </message>
    <message>
        <source>done</source>
        <translation>đã làm</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>bỏ qua</translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation>trưởng ca</translation>
    </message>
    <message>
        <source>owner</source>
        <translation>người phụ trách</translation>
    </message>
    <message>
        <source>severity</source>
        <translation>mức độ</translation>
    </message>
    <message>
        <source>title</source>
        <translation>tiêu đề</translation>
    </message>
    <message>
        <source>ward</source>
        <translation>phường</translation>
    </message>
    <message>
        <source>location</source>
        <translation>địa điểm</translation>
    </message>
    <message>
        <source>alarm</source>
        <translation>cảnh báo</translation>
    </message>
    <message>
        <source>feed</source>
        <translation>cảm biến</translation>
    </message>
    <message>
        <source>opened</source>
        <translation>mở sự cố</translation>
    </message>
    <message>
        <source>status</source>
        <translation>trạng thái</translation>
    </message>
    <message>
        <source>note</source>
        <translation>ghi chú</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>thay đổi</translation>
    </message>
    <message>
        <source>linked</source>
        <translation>liên kết</translation>
    </message>
    <message>
        <source>steps added</source>
        <translation>thêm bước</translation>
    </message>
    <message>
        <source>step done</source>
        <translation>đã làm bước</translation>
    </message>
    <message>
        <source>step skipped</source>
        <translation>bỏ qua bước</translation>
    </message>
    <message>
        <source>step overdue</source>
        <translation>bước quá hạn</translation>
    </message>
    <message>
        <source>escalation</source>
        <translation>báo cáo thành phố</translation>
    </message>
    <message>
        <source>escalation to the city</source>
        <translation>chuyển lên thành phố</translation>
    </message>
    <message>
        <source>update to the city</source>
        <translation>cập nhật cho thành phố</translation>
    </message>
    <message>
        <source>escalation cancelled</source>
        <translation>đã hủy chuyển lên</translation>
    </message>
    <message>
        <source>queued for the hub</source>
        <translation>đang chờ gửi lên hub</translation>
    </message>
    <message>
        <source>delivered to the hub</source>
        <translation>đã đến hub</translation>
    </message>
    <message>
        <source>acknowledged by the IOC</source>
        <translation>IOC đã xác nhận</translation>
    </message>
    <message>
        <source>not acknowledged in time</source>
        <translation>chưa được xác nhận kịp thời</translation>
    </message>
    <message>
        <source>No such incident.</source>
        <translation>Không có sự cố này.</translation>
    </message>
    <message>
        <source>There is no procedure for this incident type.</source>
        <translation>Không có quy trình cho loại sự cố này.</translation>
    </message>
    <message>
        <source>The incident cannot go to that status from where it is.</source>
        <translation>Sự cố không thể chuyển sang trạng thái đó từ trạng thái hiện tại.</translation>
    </message>
    <message>
        <source>Required steps are not done or skipped yet: the incident cannot close.</source>
        <translation>Còn bước bắt buộc chưa làm hoặc chưa bỏ qua: chưa thể đóng sự cố.</translation>
    </message>
    <message>
        <source>No such step.</source>
        <translation>Không có bước này.</translation>
    </message>
    <message>
        <source>That step is done or skipped already.</source>
        <translation>Bước này đã làm hoặc đã bỏ qua.</translation>
    </message>
    <message>
        <source>Skipping a step needs a reason.</source>
        <translation>Bỏ qua một bước cần có lý do.</translation>
    </message>
    <message>
        <source>That step is a supervisor&apos;s.</source>
        <translation>Bước này do trưởng ca thực hiện.</translation>
    </message>
    <message>
        <source>The note is empty.</source>
        <translation>Ghi chú đang trống.</translation>
    </message>
    <message>
        <source>An incident needs a title.</source>
        <translation>Sự cố cần có tiêu đề.</translation>
    </message>
    <message>
        <source>Severity must be 1, 2 or 3.</source>
        <translation>Mức độ phải là 1, 2 hoặc 3.</translation>
    </message>
    <message>
        <source>An alarm selected no longer exists.</source>
        <translation>Một cảnh báo đã chọn không còn tồn tại.</translation>
    </message>
    <message>
        <source>A feed named is not in this site.</source>
        <translation>Có cảm biến không thuộc trạm này.</translation>
    </message>
    <message>
        <source>The incident is closed: reopen it first.</source>
        <translation>Sự cố đã đóng: hãy mở lại trước.</translation>
    </message>
    <message>
        <source>Select alarms first.</source>
        <translation>Hãy chọn cảnh báo trước.</translation>
    </message>
    <message>
        <source>No such handover report.</source>
        <translation>Không có báo cáo bàn giao này.</translation>
    </message>
    <message>
        <source>This handover was acknowledged already.</source>
        <translation>Báo cáo bàn giao này đã có người nhận.</translation>
    </message>
    <message>
        <source>Say why: the reason goes to the city with the alert.</source>
        <translation>Hãy nêu lý do: lý do được gửi lên thành phố cùng cảnh báo.</translation>
    </message>
    <message>
        <source>This console has no city link: phone the IOC duty officer.</source>
        <translation>Trung tâm này không có kết nối lên thành phố: hãy gọi trực ban IOC.</translation>
    </message>
    <message>
        <source>The incident is escalated already: send an update.</source>
        <translation>Sự cố đã được chuyển lên: hãy gửi cập nhật.</translation>
    </message>
    <message>
        <source>The incident has no escalation to update or cancel.</source>
        <translation>Sự cố chưa được chuyển lên nên không thể cập nhật hay hủy.</translation>
    </message>
    <message>
        <source>The alert is not valid CAP 1.2 and was not sent.</source>
        <translation>Cảnh báo không hợp lệ theo CAP 1.2 nên chưa được gửi.</translation>
    </message>
    <message>
        <source>The person taking over acknowledges the handover, not its author.</source>
        <translation>Người nhận ca xác nhận bàn giao, không phải người lập báo cáo.</translation>
    </message>
    <message>
        <source>for handover</source>
        <translation>để bàn giao</translation>
    </message>
</context>
<context>
    <name>IncidentListModel</name>
    <message>
        <source>Severity</source>
        <translation>Mức độ</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Incident</source>
        <translation>Sự cố</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Tiêu đề</translation>
    </message>
    <message>
        <source>Ward</source>
        <translation>Phường</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Người phụ trách</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>Mở lúc</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>Các bước</translation>
    </message>
    <message>
        <source>%1 to do</source>
        <translation>%1 bước chưa làm</translation>
    </message>
</context>
<context>
    <name>IncidentView</name>
    <message>
        <source>⚠ sample procedure</source>
        <translation>⚠ quy trình mẫu</translation>
    </message>
    <message>
        <source>Sample procedure: to be replaced by the city&apos;s own before real use.</source>
        <translation>Quy trình mẫu: cần thay bằng quy trình của thành phố trước khi dùng thật.</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>Tiếp nhận</translation>
    </message>
    <message>
        <source>Start work</source>
        <translation>Bắt đầu xử lý</translation>
    </message>
    <message>
        <source>Escalated by phone</source>
        <translation>Đã báo qua điện thoại</translation>
    </message>
    <message>
        <source>Mark the incident escalated without sending a CAP alert (the city was told by phone or radio)</source>
        <translation>Ghi sự cố đã chuyển lên thành phố mà không gửi cảnh báo CAP (đã báo thành phố qua điện thoại hoặc bộ đàm)</translation>
    </message>
    <message>
        <source>Resolve</source>
        <translation>Đã xử lý xong</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng sự cố</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>Mở lại</translation>
    </message>
    <message>
        <source>Take over</source>
        <translation>Nhận phụ trách</translation>
    </message>
    <message>
        <source>Become the owner of this incident</source>
        <translation>Trở thành người phụ trách sự cố này</translation>
    </message>
    <message>
        <source>Escalate to the city…</source>
        <translation>Chuyển lên thành phố…</translation>
    </message>
    <message>
        <source>Send a CAP alert to the city IOC (supervisors): escalate, update, cancel</source>
        <translation>Gửi cảnh báo CAP lên IOC thành phố (trưởng ca): chuyển lên, cập nhật, hủy</translation>
    </message>
    <message>
        <source>Why (with a status change; optional)</source>
        <translation>Lý do (kèm đổi trạng thái, không bắt buộc)</translation>
    </message>
    <message>
        <source>Change severity</source>
        <translation>Đổi mức độ</translation>
    </message>
    <message>
        <source>Note on the step, or the reason to skip it (required to skip)</source>
        <translation>Ghi chú cho bước, hoặc lý do bỏ qua (bắt buộc khi bỏ qua)</translation>
    </message>
    <message>
        <source>Done (Ctrl+D)</source>
        <translation>Đã làm (Ctrl+D)</translation>
    </message>
    <message>
        <source>Skip (Ctrl+Shift+D)</source>
        <translation>Bỏ qua (Ctrl+Shift+D)</translation>
    </message>
    <message>
        <source>Link the alarms selected in the alarm table</source>
        <translation>Liên kết các cảnh báo đang chọn trong bảng cảnh báo</translation>
    </message>
    <message>
        <source>Checklist</source>
        <translation>Các bước</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Diễn biến</translation>
    </message>
    <message>
        <source>Alarms</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <source>Add a note to the timeline (Ctrl+Return)</source>
        <translation>Thêm ghi chú vào diễn biến (Ctrl+Return)</translation>
    </message>
    <message>
        <source>For the handover</source>
        <translation>Để bàn giao</translation>
    </message>
    <message>
        <source>The shift handover report lists this note</source>
        <translation>Báo cáo bàn giao ca sẽ liệt kê ghi chú này</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>Thêm ghi chú</translation>
    </message>
    <message>
        <source>No incident selected</source>
        <translation>Chưa chọn sự cố nào</translation>
    </message>
    <message>
        <source>owner %1</source>
        <translation>phụ trách: %1</translation>
    </message>
    <message>
        <source>opened %1</source>
        <translation>mở lúc %1</translation>
    </message>
    <message>
        <source>%1 entries</source>
        <translation>%1 mục</translation>
    </message>
    <message>
        <source>the newest %1 of %2 entries</source>
        <translation>%1 mục mới nhất trong %2 mục</translation>
    </message>
    <message>
        <source>Still busy with the previous command…</source>
        <translation>Đang thực hiện lệnh trước…</translation>
    </message>
    <message>
        <source>The command failed: %1</source>
        <translation>Lệnh không thực hiện được: %1</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>Đang thực hiện…</translation>
    </message>
    <message>
        <source>%1 is now %2.</source>
        <translation>%1 chuyển sang: %2.</translation>
    </message>
    <message>
        <source>%1 queued for the city as %2.</source>
        <translation>%1 đã xếp hàng gửi thành phố, mã %2.</translation>
    </message>
    <message>
        <source>You are the owner of %1.</source>
        <translation>Bạn đang phụ trách %1.</translation>
    </message>
    <message>
        <source>The severity is %1 already.</source>
        <translation>Mức độ đã là %1.</translation>
    </message>
    <message>
        <source>Severity changed to %1.</source>
        <translation>Đã đổi mức độ thành %1.</translation>
    </message>
    <message>
        <source>Select a step first.</source>
        <translation>Hãy chọn một bước trước.</translation>
    </message>
    <message>
        <source>Step done: %1</source>
        <translation>Đã làm bước: %1</translation>
    </message>
    <message>
        <source>Skipping a step needs a reason: type it in the field first.</source>
        <translation>Bỏ qua bước cần lý do: hãy nhập lý do vào ô trước.</translation>
    </message>
    <message>
        <source>Step skipped: %1</source>
        <translation>Đã bỏ qua bước: %1</translation>
    </message>
    <message>
        <source>The note is empty.</source>
        <translation>Ghi chú đang trống.</translation>
    </message>
    <message>
        <source>Note added.</source>
        <translation>Đã thêm ghi chú.</translation>
    </message>
    <message>
        <source>Select alarms in the alarm table first.</source>
        <translation>Hãy chọn cảnh báo trong bảng cảnh báo trước.</translation>
    </message>
    <message>
        <source>%1 alarms linked.</source>
        <translation>Đã liên kết %1 cảnh báo.</translation>
    </message>
</context>
<context>
    <name>IncidentsPanel</name>
    <message>
        <source>Open</source>
        <translation>Đang xử lý</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Tất cả</translation>
    </message>
    <message>
        <source>All types</source>
        <translation>Mọi loại</translation>
    </message>
    <message>
        <source>All wards</source>
        <translation>Mọi phường</translation>
    </message>
    <message>
        <source>Search id, title, ward (no diacritics needed)</source>
        <translation>Tìm mã, tiêu đề, phường (gõ không dấu cũng được)</translation>
    </message>
    <message>
        <source>New incident (Ctrl+Shift+N)</source>
        <translation>Sự cố mới (Ctrl+Shift+N)</translation>
    </message>
    <message>
        <source>Could not read the incidents: %1</source>
        <translation>Không đọc được danh sách sự cố: %1</translation>
    </message>
    <message>
        <source>Incidents: %1</source>
        <translation>Sự cố: %1</translation>
    </message>
    <message>
        <source>Incidents: %1 of %2</source>
        <translation>Sự cố: %1 trong %2</translation>
    </message>
    <message>
        <source>%1 is open.</source>
        <translation>Đã mở %1.</translation>
    </message>
    <message>
        <source>Select alarms first.</source>
        <translation>Hãy chọn cảnh báo trước.</translation>
    </message>
</context>
<context>
    <name>Ioc</name>
    <message>
        <source>Last hour</source>
        <translation>1 giờ qua</translation>
    </message>
    <message>
        <source>Last 6 h</source>
        <translation>6 giờ qua</translation>
    </message>
    <message>
        <source>Last 24 h</source>
        <translation>24 giờ qua</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>7 ngày qua</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>30 ngày qua</translation>
    </message>
    <message>
        <source>Feed</source>
        <translation>Nguồn dữ liệu</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>Mean</source>
        <translation>Trung bình</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Đơn vị</translation>
    </message>
    <message>
        <source>Minute</source>
        <translation>Phút</translation>
    </message>
    <message>
        <source>min %1 · max %2 · last %3 %4 (%5 readings)</source>
        <translation>thấp nhất %1 · cao nhất %2 · gần nhất %3 %4 (%5 giá trị đo)</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 giây</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 phút</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 giờ %2 phút</translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1 ngày %2 giờ</translation>
    </message>
    <message>
        <source>never reported</source>
        <translation>chưa từng báo cáo</translation>
    </message>
    <message>
        <source>SILENT for %1 · last heard %2</source>
        <translation>IM LẶNG %1 · lần cuối %2</translation>
    </message>
    <message>
        <source>delivering, no status yet</source>
        <translation>đang gửi, chưa có trạng thái</translation>
    </message>
    <message>
        <source>online</source>
        <translation>trực tuyến</translation>
    </message>
    <message>
        <source>online · heard %1 ago</source>
        <translation>trực tuyến · %1 trước</translation>
    </message>
    <message>
        <source>Alarms  %1</source>
        <translation>Cảnh báo  %1</translation>
    </message>
    <message>
        <source>%1 unacknowledged</source>
        <translation>%1 chưa xác nhận</translation>
    </message>
    <message>
        <source>Feeds  %1</source>
        <translation>Nguồn  %1</translation>
    </message>
    <message>
        <source>Incidents %1 · Escalations %2 · Unsent %3</source>
        <translation>Sự cố %1 · Chuyển cấp %2 · Chưa gửi %3</translation>
    </message>
    <message>
        <source>● good/total  ◌ no data (stale)  ■ bad  ▲ uncertain  ○ never reported</source>
        <translation>● tốt/tổng  ◌ mất tín hiệu  ■ hỏng  ▲ không chắc chắn  ○ chưa có dữ liệu</translation>
    </message>
    <message>
        <source>Alarms: ▲▲▲ high  ▲▲ medium  ▲ low; ◆ unacknowledged</source>
        <translation>Cảnh báo: ▲▲▲ cao  ▲▲ trung bình  ▲ thấp; ◆ chưa xác nhận</translation>
    </message>
    <message>
        <source>sent a directive</source>
        <translation>đã gửi chỉ đạo</translation>
    </message>
    <message>
        <source>sent a city warning</source>
        <translation>đã gửi cảnh báo của thành phố</translation>
    </message>
    <message>
        <source>took an escalation</source>
        <translation>đã nhận xử lý chuyển cấp</translation>
    </message>
    <message>
        <source>assigned an escalation to an agency</source>
        <translation>đã giao chuyển cấp cho cơ quan xử lý</translation>
    </message>
    <message>
        <source>acknowledged an escalation</source>
        <translation>đã xác nhận chuyển cấp</translation>
    </message>
    <message>
        <source>Sent to the sites</source>
        <translation>Gửi xuống các trạm</translation>
    </message>
    <message>
        <source>Escalations</source>
        <translation>Chuyển cấp</translation>
    </message>
    <message>
        <source>Refused by the hub: %1</source>
        <translation>Hub từ chối: %1</translation>
    </message>
    <message>
        <source>normal</source>
        <translation>thường</translation>
    </message>
    <message>
        <source>high</source>
        <translation>cao</translation>
    </message>
    <message>
        <source>urgent</source>
        <translation>khẩn</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>đang chờ gửi</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>đã nhận</translation>
    </message>
    <message>
        <source>read</source>
        <translation>đã đọc</translation>
    </message>
    <message>
        <source>done</source>
        <translation>đã làm</translation>
    </message>
    <message>
        <source>no due time</source>
        <translation>không có hạn</translation>
    </message>
    <message>
        <source>in %1 min</source>
        <translation>trong %1 phút</translation>
    </message>
    <message>
        <source>in %1 h</source>
        <translation>trong %1 giờ</translation>
    </message>
    <message>
        <source>due at %1</source>
        <translation>hạn lúc %1</translation>
    </message>
    <message>
        <source>answers escalation %1</source>
        <translation>trả lời báo cáo vượt cấp %1</translation>
    </message>
    <message>
        <source>extreme</source>
        <translation>cực kỳ nghiêm trọng</translation>
    </message>
    <message>
        <source>severe</source>
        <translation>nghiêm trọng</translation>
    </message>
    <message>
        <source>moderate</source>
        <translation>trung bình</translation>
    </message>
    <message>
        <source>minor</source>
        <translation>nhẹ</translation>
    </message>
    <message>
        <source>immediate</source>
        <translation>ngay lập tức</translation>
    </message>
    <message>
        <source>expected (within the hour)</source>
        <translation>sắp xảy ra (trong giờ tới)</translation>
    </message>
    <message>
        <source>future</source>
        <translation>trong tương lai</translation>
    </message>
    <message>
        <source>%1 (%2 new)</source>
        <translation>%1 (%2 mới)</translation>
    </message>
    <message>
        <source>Incidents: — (the hub learns of an incident only when it is escalated); Escalations: not yet acknowledged by the IOC; Unsent: the site&apos;s records not yet delivered to the hub (— if the site does not report it)</source>
        <translation>Sự cố: — (hub chỉ biết một sự cố khi nó được chuyển cấp); Chuyển cấp: IOC chưa xác nhận; Chưa gửi: bản ghi của trạm chưa chuyển đến hub (— nếu trạm không báo)</translation>
    </message>
    <message>
        <source>Refused: this escalation was acknowledged already (by %1).</source>
        <translation>Bị từ chối: chuyển cấp này đã được xác nhận rồi (bởi %1).</translation>
    </message>
    <message>
        <source>Refused: the hub has not received this escalation.</source>
        <translation>Bị từ chối: hub chưa nhận được chuyển cấp này.</translation>
    </message>
    <message>
        <source>Refused: that agency is not in the hub file&apos;s [agencies].</source>
        <translation>Bị từ chối: cơ quan đó không có trong [agencies] của tệp cấu hình hub.</translation>
    </message>
    <message>
        <source>Refused: the note is too long.</source>
        <translation>Bị từ chối: ghi chú quá dài.</translation>
    </message>
    <message>
        <source>first message</source>
        <translation>bản tin đầu</translation>
    </message>
    <message>
        <source>update</source>
        <translation>cập nhật</translation>
    </message>
    <message>
        <source>withdrawn by the district</source>
        <translation>quận đã rút lại</translation>
    </message>
    <message>
        <source>actual</source>
        <translation>thật</translation>
    </message>
    <message>
        <source>EXERCISE</source>
        <translation>DIỄN TẬP</translation>
    </message>
    <message>
        <source>trial run</source>
        <translation>thử nghiệm</translation>
    </message>
    <message>
        <source>system</source>
        <translation>hệ thống</translation>
    </message>
    <message>
        <source>draft</source>
        <translation>bản nháp</translation>
    </message>
    <message>
        <source>observed</source>
        <translation>đã quan sát thấy</translation>
    </message>
    <message>
        <source>likely</source>
        <translation>nhiều khả năng</translation>
    </message>
    <message>
        <source>possible</source>
        <translation>có thể</translation>
    </message>
    <message>
        <source>unlikely</source>
        <translation>ít khả năng</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>chưa rõ</translation>
    </message>
    <message>
        <source>Vietnamese</source>
        <translation>Tiếng Việt</translation>
    </message>
    <message>
        <source>English</source>
        <translation>Tiếng Anh</translation>
    </message>
    <message>
        <source>took it</source>
        <translation>đã nhận xử lý</translation>
    </message>
    <message>
        <source>assigned it to</source>
        <translation>đã giao cho</translation>
    </message>
    <message>
        <source>acknowledged it</source>
        <translation>đã xác nhận</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Bản tin</translation>
    </message>
    <message>
        <source>References</source>
        <translation>Tham chiếu</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>Incident</source>
        <translation>Sự cố</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Gửi lúc</translation>
    </message>
    <message>
        <source>Identifier</source>
        <translation>Mã</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Mức độ</translation>
    </message>
    <message>
        <source>urgency: %1</source>
        <translation>khẩn cấp: %1</translation>
    </message>
    <message>
        <source>certainty: %1</source>
        <translation>độ chắc chắn: %1</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Từ</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Mô tả</translation>
    </message>
    <message>
        <source>Asks the city</source>
        <translation>Đề nghị thành phố</translation>
    </message>
    <message>
        <source>Area</source>
        <translation>Khu vực</translation>
    </message>
    <message>
        <source>Readings</source>
        <translation>Số đo</translation>
    </message>
    <message>
        <source>Onset</source>
        <translation>Bắt đầu</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Hết hiệu lực</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>Liên hệ</translation>
    </message>
    <message>
        <source>The acknowledgement reached the site at %1.</source>
        <translation>Xác nhận đã đến trạm lúc %1.</translation>
    </message>
    <message>
        <source>The acknowledgement is queued for the site.</source>
        <translation>Xác nhận đang chờ gửi xuống trạm.</translation>
    </message>
    <message>
        <source>Nobody at the IOC has acted on it yet.</source>
        <translation>Chưa ai ở IOC xử lý.</translation>
    </message>
    <message>
        <source>At the IOC</source>
        <translation>Tại IOC</translation>
    </message>
    <message>
        <source>new</source>
        <translation>mới</translation>
    </message>
    <message>
        <source>being handled</source>
        <translation>đang xử lý</translation>
    </message>
    <message>
        <source>acknowledged</source>
        <translation>đã xác nhận</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>Alarm</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Sự kiện</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Người thao tác</translation>
    </message>
    <message>
        <source>State: %1</source>
        <translation>Trạng thái: %1</translation>
    </message>
    <message>
        <source>Value: %1</source>
        <translation>Giá trị: %1</translation>
    </message>
</context>
<context>
    <name>IocWindow</name>
    <message>
        <source>opsconsole — city operations centre</source>
        <translation>opsconsole — trung tâm giám sát điều hành thành phố</translation>
    </message>
    <message>
        <source>Sites</source>
        <translation>Các trạm</translation>
    </message>
    <message>
        <source>Site detail</source>
        <translation>Chi tiết trạm</translation>
    </message>
    <message>
        <source>City by kind</source>
        <translation>Toàn thành phố theo loại</translation>
    </message>
    <message>
        <source>Cannot read the hub database (retrying): %1</source>
        <translation>Không đọc được cơ sở dữ liệu của trung tâm (đang thử lại): %1</translation>
    </message>
    <message>
        <source>Directives</source>
        <translation>Chỉ đạo</translation>
    </message>
    <message>
        <source>City warnings</source>
        <translation>Cảnh báo thành phố</translation>
    </message>
    <message>
        <source>Action log</source>
        <translation>Nhật ký thao tác</translation>
    </message>
    <message>
        <source>Escalations</source>
        <translation>Chuyển cấp</translation>
    </message>
</context>
<context>
    <name>JournalModel</name>
    <message>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>Feed</source>
        <translation>Nguồn dữ liệu</translation>
    </message>
    <message>
        <source>Alarm</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Sự kiện</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Mức độ</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Giá trị</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Người thực hiện</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
</context>
<context>
    <name>KindsPanel</name>
    <message>
        <source>Kind</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>Could not read the hub database: %1</source>
        <translation>Không đọc được cơ sở dữ liệu của trung tâm: %1</translation>
    </message>
    <message>
        <source>No minute summaries at the hub yet.</source>
        <translation>Trung tâm chưa nhận được số liệu tổng hợp theo phút.</translation>
    </message>
    <message>
        <source>%1 sites reported %2; highest value per site and hour</source>
        <translation>%1 trạm có số liệu %2; giá trị cao nhất theo trạm và giờ</translation>
    </message>
    <message>
        <source>Highest per site</source>
        <translation>Cao nhất theo trạm</translation>
    </message>
    <message>
        <source>Hourly highs, top sites</source>
        <translation>Cao nhất mỗi giờ, các trạm đứng đầu</translation>
    </message>
</context>
<context>
    <name>LinkedAlarmsModel</name>
    <message>
        <source>Severity</source>
        <translation>Mức độ</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Alarm</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <source>Live value</source>
        <translation>Giá trị hiện tại</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Duty</source>
        <translation>Ca trực</translation>
    </message>
    <message>
        <source>Feeds</source>
        <translation>Nguồn dữ liệu</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Lịch sử</translation>
    </message>
    <message>
        <source>Alarms</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <source>Action log</source>
        <translation>Nhật ký thao tác</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>Tài khoản</translation>
    </message>
    <message>
        <source>Escalations</source>
        <translation>Chuyển lên thành phố</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Xem</translation>
    </message>
    <message>
        <source>Add selected feeds to tiles</source>
        <translation>Thêm nguồn đang chọn vào ô hiển thị</translation>
    </message>
    <message>
        <source>Add selected feeds to trend</source>
        <translation>Thêm nguồn đang chọn vào biểu đồ</translation>
    </message>
    <message>
        <source>Show history of selected feeds</source>
        <translation>Xem lịch sử nguồn đang chọn</translation>
    </message>
    <message>
        <source>Search feeds</source>
        <translation>Tìm nguồn dữ liệu</translation>
    </message>
    <message>
        <source>Follow / pause trend</source>
        <translation>Theo dõi / tạm dừng biểu đồ</translation>
    </message>
    <message>
        <source>&amp;Alarms</source>
        <translation>&amp;Cảnh báo</translation>
    </message>
    <message>
        <source>Acknowledge selected alarms</source>
        <translation>Xác nhận cảnh báo đang chọn</translation>
    </message>
    <message>
        <source>Acknowledge all shown alarms</source>
        <translation>Xác nhận tất cả cảnh báo đang hiển thị</translation>
    </message>
    <message>
        <source>Next unacknowledged alarm</source>
        <translation>Cảnh báo chưa xác nhận tiếp theo</translation>
    </message>
    <message>
        <source>Silence</source>
        <translation>Tắt chuông</translation>
    </message>
    <message>
        <source>&amp;Duty</source>
        <translation>Ca &amp;trực</translation>
    </message>
    <message>
        <source>Lock the screen</source>
        <translation>Khóa màn hình</translation>
    </message>
    <message>
        <source>Hand over…</source>
        <translation>Bàn giao ca…</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>Đăng xuất</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Ngôn ngữ</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Thoát</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Tệp</translation>
    </message>
    <message>
        <source>Not added: the trend shows at most two units and ten feeds (%1 is in %2).</source>
        <translation>Không thêm được: biểu đồ chỉ hiển thị tối đa hai đơn vị và mười nguồn (%1 đo bằng %2).</translation>
    </message>
    <message>
        <source>The recent readings could not be read from the log: the trends start now</source>
        <translation>Không đọc được các số đo gần đây từ nhật ký lưu trữ: biểu đồ bắt đầu từ bây giờ</translation>
    </message>
    <message>
        <source>NO DATA for %1</source>
        <translation>MẤT TÍN HIỆU %1</translation>
    </message>
    <message>
        <source>Control-room scale</source>
        <translation>Cỡ chữ phòng điều hành</translation>
    </message>
    <message>
        <source>Select feeds (or a group) in the browser first.</source>
        <translation>Hãy chọn nguồn dữ liệu (hoặc một nhóm) trong danh sách trước.</translation>
    </message>
    <message>
        <source>Not added: the group has %1 feeds without a tile; at most %2 tiles fit (%3 free).</source>
        <translation>Không thêm: nhóm có %1 nguồn chưa có ô; tối đa %2 ô (còn trống %3).</translation>
    </message>
    <message>
        <source>Not added to the trend (at most two units and ten feeds): %1</source>
        <translation>Không thêm vào biểu đồ (tối đa hai đơn vị và mười nguồn): %1</translation>
    </message>
    <message>
        <source>%1 is already a tile.</source>
        <translation>%1 đã có ô hiển thị.</translation>
    </message>
    <message>
        <source>Not added: at most %1 tiles fit.</source>
        <translation>Không thêm: tối đa %1 ô hiển thị.</translation>
    </message>
    <message>
        <source>No alarm waits for acknowledgement.</source>
        <translation>Không có cảnh báo nào chờ xác nhận.</translation>
    </message>
    <message>
        <source>Directives</source>
        <translation>Chỉ đạo</translation>
    </message>
    <message>
        <source>Directives of the city</source>
        <translation>Chỉ đạo của thành phố</translation>
    </message>
    <message>
        <source>Incidents</source>
        <translation>Sự cố</translation>
    </message>
    <message>
        <source>Shift handover</source>
        <translation>Bàn giao ca</translation>
    </message>
    <message>
        <source>Select alarms first.</source>
        <translation>Hãy chọn cảnh báo trước.</translation>
    </message>
    <message>
        <source>&amp;Incidents</source>
        <translation>&amp;Sự cố</translation>
    </message>
    <message>
        <source>Open incident from selected alarms</source>
        <translation>Mở sự cố từ cảnh báo đang chọn</translation>
    </message>
    <message>
        <source>New incident (phone call, camera)</source>
        <translation>Sự cố mới (điện thoại, camera)</translation>
    </message>
    <message>
        <source>Shift handover report</source>
        <translation>Báo cáo bàn giao ca</translation>
    </message>
</context>
<context>
    <name>NewIncidentForm</name>
    <message>
        <source>New incident</source>
        <translation>Sự cố mới</translation>
    </message>
    <message>
        <source>What is happening, where (required)</source>
        <translation>Chuyện gì, ở đâu (bắt buộc)</translation>
    </message>
    <message>
        <source>Street, landmark, other wards</source>
        <translation>Đường, địa danh, các phường khác</translation>
    </message>
    <message>
        <source>What was reported or seen (a phone call, a camera…)</source>
        <translation>Nội dung tin báo hoặc quan sát được (điện thoại, camera…)</translation>
    </message>
    <message>
        <source>Open incident (Ctrl+Return)</source>
        <translation>Mở sự cố (Ctrl+Return)</translation>
    </message>
    <message>
        <source>Cancel (Esc)</source>
        <translation>Hủy (Esc)</translation>
    </message>
    <message>
        <source>Link to this incident instead</source>
        <translation>Thay vào đó, liên kết vào sự cố này</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Mức độ</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Tiêu đề</translation>
    </message>
    <message>
        <source>Ward</source>
        <translation>Phường</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Địa điểm</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>Tin báo</translation>
    </message>
    <message>
        <source>Alarms</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <source>none (opened by hand)</source>
        <translation>không có (mở thủ công)</translation>
    </message>
    <message>
        <source>New incident from %1 alarms</source>
        <translation>Sự cố mới từ %1 cảnh báo</translation>
    </message>
    <message>
        <source>The command failed: %1</source>
        <translation>Lệnh không thực hiện được: %1</translation>
    </message>
    <message>
        <source>An incident needs a title.</source>
        <translation>Sự cố cần có tiêu đề.</translation>
    </message>
    <message>
        <source>Opening…</source>
        <translation>Đang mở sự cố…</translation>
    </message>
    <message>
        <source>Linking…</source>
        <translation>Đang liên kết…</translation>
    </message>
</context>
<context>
    <name>QAbstractFileIconProvider</name>
    <message>
        <source>Folder</source>
        <translation>Thư mục</translation>
    </message>
    <message>
        <source>Drive</source>
        <translation>Ổ đĩa</translation>
    </message>
</context>
<context>
    <name>QDockWidget</name>
    <message>
        <source>Float</source>
        <translation>Tách ra</translation>
    </message>
    <message>
        <source>Undocks and re-attaches the dock widget</source>
        <translation>Tách khung ra hoặc gắn lại</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Closes the dock widget</source>
        <translation>Đóng khung này</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>&amp;Tìm trong:</translation>
    </message>
    <message>
        <source>File &amp;name:</source>
        <translation>&amp;Tên tệp:</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>&amp;Loại tệp:</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Lưu</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>&amp;Mở</translation>
    </message>
    <message>
        <source>Save As</source>
        <translation>Lưu thành</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Quay lại</translation>
    </message>
    <message>
        <source>Go back</source>
        <translation>Quay lại</translation>
    </message>
    <message>
        <source>Forward</source>
        <translation>Tiến tới</translation>
    </message>
    <message>
        <source>Go forward</source>
        <translation>Tiến tới</translation>
    </message>
    <message>
        <source>Parent Directory</source>
        <translation>Thư mục cha</translation>
    </message>
    <message>
        <source>Go to the parent directory</source>
        <translation>Đi tới thư mục cha</translation>
    </message>
    <message>
        <source>Create New Folder</source>
        <translation>Tạo thư mục mới</translation>
    </message>
    <message>
        <source>Create a New Folder</source>
        <translation>Tạo một thư mục mới</translation>
    </message>
    <message>
        <source>List View</source>
        <translation>Dạng danh sách</translation>
    </message>
    <message>
        <source>Change to list view mode</source>
        <translation>Chuyển sang dạng danh sách</translation>
    </message>
    <message>
        <source>Detail View</source>
        <translation>Dạng chi tiết</translation>
    </message>
    <message>
        <source>Change to detail view mode</source>
        <translation>Chuyển sang dạng chi tiết</translation>
    </message>
    <message>
        <source>Sidebar</source>
        <translation>Thanh bên</translation>
    </message>
    <message>
        <source>List of places and bookmarks</source>
        <translation>Danh sách vị trí và dấu trang</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Tệp</translation>
    </message>
    <message>
        <source>All Files (*)</source>
        <translation>Mọi tệp (*)</translation>
    </message>
    <message>
        <source>&amp;Rename</source>
        <translation>Đổi &amp;tên</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Xóa</translation>
    </message>
    <message>
        <source>Show &amp;hidden files</source>
        <translation>Hiện tệp &amp;ẩn</translation>
    </message>
    <message>
        <source>&amp;New Folder</source>
        <translation>Thư mục &amp;mới</translation>
    </message>
    <message>
        <source>New Folder</source>
        <translation>Thư mục mới</translation>
    </message>
    <message>
        <source>Show </source>
        <translation>Hiện </translation>
    </message>
    <message>
        <source>Recent Places</source>
        <translation>Vị trí gần đây</translation>
    </message>
    <message>
        <source>%1 already exists.
Do you want to replace it?</source>
        <translation>%1 đã có.
Bạn có muốn ghi đè không?</translation>
    </message>
    <message>
        <source>Are you sure you want to delete &apos;%1&apos;?</source>
        <translation>Bạn có chắc muốn xóa &apos;%1&apos;?</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is write protected.
Do you want to delete it anyway?</source>
        <translation>&apos;%1&apos; được bảo vệ chống ghi.
Vẫn xóa?</translation>
    </message>
    <message>
        <source>Could not delete directory.</source>
        <translation>Không xóa được thư mục.</translation>
    </message>
    <message>
        <source>%1
Directory not found.
Please verify the correct directory name was given.</source>
        <translation>%1
Không tìm thấy thư mục.
Hãy kiểm tra lại tên thư mục.</translation>
    </message>
</context>
<context>
    <name>QFileSystemModel</name>
    <message>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Kích thước</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>Date Modified</source>
        <translation>Ngày sửa</translation>
    </message>
    <message>
        <source>Computer</source>
        <translation>Máy tính</translation>
    </message>
</context>
<context>
    <name>QLineEdit</name>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Hoàn tác</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Làm lại</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>&amp;Cắt</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Sao chép</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>&amp;Dán</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <source>Select All</source>
        <translation>Chọn tất cả</translation>
    </message>
</context>
<context>
    <name>QPlatformTheme</name>
    <message>
        <source>OK</source>
        <translation>Đồng ý</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Mở</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>&amp;Yes</source>
        <translation>&amp;Có</translation>
    </message>
    <message>
        <source>&amp;No</source>
        <translation>&amp;Không</translation>
    </message>
</context>
<context>
    <name>QScrollBar</name>
    <message>
        <source>Scroll here</source>
        <translation>Cuộn đến đây</translation>
    </message>
    <message>
        <source>Left edge</source>
        <translation>Mép trái</translation>
    </message>
    <message>
        <source>Top</source>
        <translation>Đầu</translation>
    </message>
    <message>
        <source>Right edge</source>
        <translation>Mép phải</translation>
    </message>
    <message>
        <source>Bottom</source>
        <translation>Cuối</translation>
    </message>
    <message>
        <source>Page left</source>
        <translation>Sang trái một trang</translation>
    </message>
    <message>
        <source>Page up</source>
        <translation>Lên một trang</translation>
    </message>
    <message>
        <source>Page right</source>
        <translation>Sang phải một trang</translation>
    </message>
    <message>
        <source>Page down</source>
        <translation>Xuống một trang</translation>
    </message>
    <message>
        <source>Scroll left</source>
        <translation>Cuộn sang trái</translation>
    </message>
    <message>
        <source>Scroll up</source>
        <translation>Cuộn lên</translation>
    </message>
    <message>
        <source>Scroll right</source>
        <translation>Cuộn sang phải</translation>
    </message>
    <message>
        <source>Scroll down</source>
        <translation>Cuộn xuống</translation>
    </message>
</context>
<context>
    <name>QTabBar</name>
    <message>
        <source>Scroll Left</source>
        <translation>Cuộn sang trái</translation>
    </message>
    <message>
        <source>Scroll Right</source>
        <translation>Cuộn sang phải</translation>
    </message>
</context>
<context>
    <name>Reject</name>
    <message>
        <source>wrong number of message parts</source>
        <translation>sai số phần của bản tin</translation>
    </message>
    <message>
        <source>message too large</source>
        <translation>bản tin quá lớn</translation>
    </message>
    <message>
        <source>message exceeds the limits</source>
        <translation>bản tin vượt giới hạn</translation>
    </message>
    <message>
        <source>unreadable message</source>
        <translation>bản tin không đọc được</translation>
    </message>
    <message>
        <source>unsupported protocol version</source>
        <translation>phiên bản giao thức không hỗ trợ</translation>
    </message>
    <message>
        <source>message without readings</source>
        <translation>bản tin không có số đo</translation>
    </message>
    <message>
        <source>reading of the wrong type</source>
        <translation>số đo sai kiểu dữ liệu</translation>
    </message>
    <message>
        <source>value not a number</source>
        <translation>giá trị không phải là số</translation>
    </message>
    <message>
        <source>unknown quality code</source>
        <translation>mã chất lượng không hợp lệ</translation>
    </message>
    <message>
        <source>time in the future</source>
        <translation>thời điểm ở tương lai</translation>
    </message>
    <message>
        <source>time too far in the past</source>
        <translation>thời điểm quá cũ</translation>
    </message>
    <message>
        <source>feed not in the site file</source>
        <translation>nguồn không có trong cấu hình trạm</translation>
    </message>
    <message>
        <source>value outside the valid range</source>
        <translation>giá trị ngoài khoảng hợp lệ</translation>
    </message>
    <message>
        <source>not newer than the last reading</source>
        <translation>không mới hơn số đo trước</translation>
    </message>
    <message>
        <source>internal error while storing</source>
        <translation>lỗi nội bộ khi lưu</translation>
    </message>
</context>
<context>
    <name>RejectsDialog</name>
    <message>
        <source>Rejected input</source>
        <translation>Dữ liệu bị từ chối</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Số lượng</translation>
    </message>
    <message>
        <source>Readings and messages refused by the console, by reason (docs/PROTOCOL.md §1.5).</source>
        <translation>Số đo và bản tin bị từ chối, theo lý do (docs/PROTOCOL.md §1.5).</translation>
    </message>
    <message>
        <source>Last sample (as received)</source>
        <translation>Mẫu gần nhất (nguyên văn)</translation>
    </message>
    <message>
        <source>Code: %1 (docs/PROTOCOL.md §1.5)</source>
        <translation>Mã: %1 (docs/PROTOCOL.md §1.5)</translation>
    </message>
</context>
<context>
    <name>SiteAlarmsPanel</name>
    <message>
        <source>Alarm events</source>
        <translation>Sự kiện cảnh báo</translation>
    </message>
    <message>
        <source>Alarm events: none received from this site</source>
        <translation>Sự kiện cảnh báo: trạm chưa gửi sự kiện nào</translation>
    </message>
    <message>
        <source>Alarm events, newest first: the latest %1</source>
        <translation>Sự kiện cảnh báo, mới nhất trước: %1 sự kiện gần nhất</translation>
    </message>
    <message>
        <source>Alarm events, newest first: %1</source>
        <translation>Sự kiện cảnh báo, mới nhất trước: %1</translation>
    </message>
</context>
<context>
    <name>SiteDetail</name>
    <message>
        <source>All sites</source>
        <translation>Tất cả các trạm</translation>
    </message>
    <message>
        <source>Select up to 6 feeds to plot (Ctrl+click).</source>
        <translation>Chọn tối đa 6 nguồn để vẽ (Ctrl+nhấp).</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Đang tải…</translation>
    </message>
    <message>
        <source>Could not read the hub database: %1</source>
        <translation>Không đọc được cơ sở dữ liệu của trung tâm: %1</translation>
    </message>
    <message>
        <source>%1 feeds, %2 points (min/max/mean per %3 min); %4 statuses</source>
        <translation>%1 nguồn, %2 điểm (thấp nhất/cao nhất/trung bình mỗi %3 phút); %4 trạng thái</translation>
    </message>
    <message>
        <source>unacknowledged</source>
        <translation>chưa xác nhận</translation>
    </message>
    <message>
        <source>feeds without data</source>
        <translation>nguồn mất tín hiệu</translation>
    </message>
    <message>
        <source>bad feeds</source>
        <translation>nguồn hỏng</translation>
    </message>
</context>
<context>
    <name>SiteWall</name>
    <message>
        <source>No site has reported to this hub yet, and none is named in the hub file.</source>
        <translation>Chưa trạm nào báo cáo về trung tâm này, và tệp cấu hình trung tâm chưa khai báo trạm nào.</translation>
    </message>
</context>
<context>
    <name>Span</name>
    <message>
        <source>%1 d</source>
        <translation>%1 ngày</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 giờ</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 phút</translation>
    </message>
</context>
<context>
    <name>StartupError</name>
    <message>
        <source>The console cannot start. Correct this and start it again:</source>
        <translation>Phần mềm không khởi động được. Hãy sửa lỗi dưới đây rồi khởi động lại:</translation>
    </message>
</context>
<context>
    <name>StatusPanel</name>
    <message>
        <source>Log: %1</source>
        <translation>Nhật ký: %1</translation>
    </message>
    <message>
        <source>Ingest: %1 readings/s</source>
        <translation>Tiếp nhận: %1 số đo/giây</translation>
    </message>
    <message>
        <source>Rejected: %1</source>
        <translation>Bị từ chối: %1</translation>
    </message>
    <message>
        <source>Write lag: %1 readings, %2 s</source>
        <translation>Ghi chậm: %1 số đo, %2 giây</translation>
    </message>
    <message>
        <source>Log: all committed (%1 stored)</source>
        <translation>Nhật ký: đã ghi đủ (%1 số đo)</translation>
    </message>
    <message>
        <source>%1 commit retries</source>
        <translation>%1 lần ghi lại</translation>
    </message>
    <message>
        <source>IOC link: not configured</source>
        <translation>Liên kết IOC: chưa cấu hình</translation>
    </message>
    <message>
        <source>This site file has no [uplink] section (docs/CONFIG.md).</source>
        <translation>Tệp cấu hình trạm không có mục [uplink] (docs/CONFIG.md).</translation>
    </message>
    <message>
        <source>IOC: online</source>
        <translation>IOC: trực tuyến</translation>
    </message>
    <message>
        <source>IOC: REFUSED since %1</source>
        <translation>IOC: BỊ TỪ CHỐI từ %1</translation>
    </message>
    <message>
        <source>IOC: OFFLINE since %1</source>
        <translation>IOC: MẤT KẾT NỐI từ %1</translation>
    </message>
    <message>
        <source>IOC: connecting…</source>
        <translation>IOC: đang kết nối…</translation>
    </message>
    <message>
        <source>backlog %1</source>
        <translation>tồn %1</translation>
    </message>
    <message>
        <source>oldest %1 s</source>
        <translation>cũ nhất %1 giây</translation>
    </message>
    <message>
        <source>oldest %1 min</source>
        <translation>cũ nhất %1 phút</translation>
    </message>
    <message>
        <source>oldest %1 h</source>
        <translation>cũ nhất %1 giờ</translation>
    </message>
    <message>
        <source>last ack %1</source>
        <translation>xác nhận lúc %1</translation>
    </message>
    <message>
        <source>no ack yet</source>
        <translation>chưa có xác nhận</translation>
    </message>
    <message>
        <source>BACKLOG ABOVE %1</source>
        <translation>TỒN ĐỌNG VƯỢT %1</translation>
    </message>
    <message>
        <source>No alarm sound</source>
        <translation>Không có chuông</translation>
    </message>
    <message>
        <source>Alarms are shown without sound on this workstation: %1</source>
        <translation>Cảnh báo chỉ hiển thị, không phát âm thanh trên máy này: %1</translation>
    </message>
    <message>
        <source>Disk: %1 free · log %2</source>
        <translation>Đĩa: còn trống %1 · nhật ký %2</translation>
    </message>
    <message>
        <source>LOG CANNOT WRITE</source>
        <translation>NHẬT KÝ KHÔNG GHI ĐƯỢC</translation>
    </message>
    <message>
        <source>DISK LOW</source>
        <translation>ĐĨA SẮP ĐẦY</translation>
    </message>
    <message>
        <source>%1 readings NOT STORED</source>
        <translation>%1 số đo KHÔNG được lưu</translation>
    </message>
</context>
<context>
    <name>Tile</name>
    <message>
        <source>unacknowledged</source>
        <translation>chưa xác nhận</translation>
    </message>
    <message>
        <source>acknowledged</source>
        <translation>đã xác nhận</translation>
    </message>
    <message>
        <source>cleared, unacknowledged</source>
        <translation>đã hết, chưa xác nhận</translation>
    </message>
</context>
<context>
    <name>TilesPanel</name>
    <message>
        <source>No tiles yet: select feeds in the browser and press Ctrl+T.</source>
        <translation>Chưa có ô hiển thị: chọn nguồn trong danh sách rồi bấm Ctrl+T.</translation>
    </message>
</context>
<context>
    <name>TimelineModel</name>
    <message>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Nội dung</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Người thực hiện</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Thay đổi</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>console</source>
        <translation>hệ thống</translation>
    </message>
</context>
<context>
    <name>TrendPanel</name>
    <message>
        <source>Clear</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <source>Span</source>
        <translation>Khoảng</translation>
    </message>
    <message>
        <source>Following (F)</source>
        <translation>Đang theo dõi (F)</translation>
    </message>
    <message>
        <source>Paused (F)</source>
        <translation>Tạm dừng (F)</translation>
    </message>
    <message>
        <source>Follow the newest readings, or pause to look back (%1 or %2)</source>
        <translation>Theo dõi số đo mới nhất, hoặc tạm dừng để xem lại (%1 hoặc %2)</translation>
    </message>
</context>
<context>
    <name>Unit</name>
    <message>
        <source>m</source>
        <translation>m</translation>
    </message>
    <message>
        <source>mm/h</source>
        <translation>mm/giờ</translation>
    </message>
    <message>
        <source>µg/m³</source>
        <translation>µg/m³</translation>
    </message>
    <message>
        <source>veh/min</source>
        <translation>xe/phút</translation>
    </message>
    <message>
        <source>km/h</source>
        <translation>km/giờ</translation>
    </message>
    <message>
        <source>events/min</source>
        <translation>sự kiện/phút</translation>
    </message>
    <message>
        <source>count</source>
        <translation>số lượng</translation>
    </message>
</context>
<context>
    <name>UsersPanel</name>
    <message>
        <source>User id</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>Vai trò</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Add account</source>
        <translation>Thêm tài khoản</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Làm mới</translation>
    </message>
    <message>
        <source>New one-time password</source>
        <translation>Cấp mật khẩu dùng một lần</translation>
    </message>
    <message>
        <source>Disable / enable</source>
        <translation>Vô hiệu hóa / kích hoạt</translation>
    </message>
    <message>
        <source>one-time password appears here</source>
        <translation>mật khẩu dùng một lần hiện ở đây</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>Đang xử lý…</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>vô hiệu hóa</translation>
    </message>
    <message>
        <source>enabled</source>
        <translation>đang hoạt động</translation>
    </message>
    <message>
        <source>must change password</source>
        <translation>phải đổi mật khẩu</translation>
    </message>
    <message>
        <source>%1 accounts</source>
        <translation>%1 tài khoản</translation>
    </message>
    <message>
        <source>Select an account first.</source>
        <translation>Hãy chọn một tài khoản trước.</translation>
    </message>
    <message>
        <source>Give this one-time password to its owner; it must be changed at the first log-in.</source>
        <translation>Trao mật khẩu dùng một lần này cho chủ tài khoản; phải đổi khi đăng nhập lần đầu.</translation>
    </message>
</context>
<context>
    <name>WarningStrip</name>
    <message>
        <source>extreme</source>
        <translation>cực kỳ nghiêm trọng</translation>
    </message>
    <message>
        <source>severe</source>
        <translation>nghiêm trọng</translation>
    </message>
    <message>
        <source>moderate</source>
        <translation>trung bình</translation>
    </message>
    <message>
        <source>minor</source>
        <translation>nhẹ</translation>
    </message>
    <message>
        <source>severity unknown</source>
        <translation>chưa rõ mức độ</translation>
    </message>
    <message>
        <source>until %1</source>
        <translation>đến %1</translation>
    </message>
    <message>
        <source>(exercise)</source>
        <translation>(diễn tập)</translation>
    </message>
    <message>
        <source>and %1 more</source>
        <translation>và %1 cảnh báo khác</translation>
    </message>
</context>
<context>
    <name>WarningsPage</name>
    <message>
        <source>All sites</source>
        <translation>Tất cả các trạm</translation>
    </message>
    <message>
        <source>e.g. Lũ trên sông Hàn</source>
        <translation>ví dụ: Lũ trên sông Hàn</translation>
    </message>
    <message>
        <source>optional, e.g. Flood on the Han river</source>
        <translation>không bắt buộc, ví dụ: Flood on the Han river</translation>
    </message>
    <message>
        <source>wards, e.g. Hòa Xuân, Khuê Trung</source>
        <translation>các phường, ví dụ: Hòa Xuân, Khuê Trung</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>không bắt buộc</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 giờ</translation>
    </message>
    <message>
        <source>optional: one line for the banner</source>
        <translation>không bắt buộc: một dòng tiêu đề</translation>
    </message>
    <message>
        <source>optional: what people should do</source>
        <translation>không bắt buộc: người dân cần làm gì</translation>
    </message>
    <message>
        <source>Exercise (status Exercise, not Actual)</source>
        <translation>Diễn tập (trạng thái Exercise, không phải Actual)</translation>
    </message>
    <message>
        <source>Send city warning</source>
        <translation>Gửi cảnh báo thành phố</translation>
    </message>
    <message>
        <source>New city warning (CAP 1.2)</source>
        <translation>Cảnh báo thành phố mới (CAP 1.2)</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Gửi tới</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Sự kiện</translation>
    </message>
    <message>
        <source>Event (English)</source>
        <translation>Sự kiện (tiếng Anh)</translation>
    </message>
    <message>
        <source>Area</source>
        <translation>Khu vực</translation>
    </message>
    <message>
        <source>Area (English)</source>
        <translation>Khu vực (tiếng Anh)</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Mức độ</translation>
    </message>
    <message>
        <source>Urgency</source>
        <translation>Mức khẩn cấp</translation>
    </message>
    <message>
        <source>Holds for</source>
        <translation>Hiệu lực trong</translation>
    </message>
    <message>
        <source>Headline</source>
        <translation>Tiêu đề</translation>
    </message>
    <message>
        <source>Instruction</source>
        <translation>Hướng dẫn</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Gửi lúc</translation>
    </message>
    <message>
        <source>Sites</source>
        <translation>Các trạm</translation>
    </message>
    <message>
        <source>City warnings sent, and their delivery per site</source>
        <translation>Cảnh báo thành phố đã gửi, và tình trạng chuyển tới từng trạm</translation>
    </message>
    <message>
        <source>Cannot read the warnings (retrying): %1</source>
        <translation>Không đọc được danh sách cảnh báo (đang thử lại): %1</translation>
    </message>
    <message>
        <source>Choose at least one site, or all sites.</source>
        <translation>Chọn ít nhất một trạm, hoặc tất cả các trạm.</translation>
    </message>
    <message>
        <source>A warning needs its event and its area (in Vietnamese).</source>
        <translation>Cảnh báo cần có sự kiện và khu vực (bằng tiếng Việt).</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Đang gửi…</translation>
    </message>
    <message>
        <source>Warning %1 queued for %2; the hub delivers it.</source>
        <translation>Cảnh báo %1 đã xếp hàng gửi tới %2; hub sẽ chuyển đi.</translation>
    </message>
    <message>
        <source>Not sent: %1</source>
        <translation>Chưa gửi: %1</translation>
    </message>
</context>
</TS>
